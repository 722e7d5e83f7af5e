package org.taobaovillages.table;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every schema a table class declares (every {@code static final StructType} of this package: the Delta tables,
 * the inputs and the exports) follows {@link ColumnTypes}: no money or count as floating point, and every other
 * floating column classified. The written tables and export files are checked with the same rule by the privacy
 * check of the end-to-end runs.
 */
class SchemaTypesTest {
  @Test
  void noTableDeclaresMoneyOrACountAsFloatingPoint() throws Exception {
    List<String> problems = new ArrayList<>();
    int schemas = 0;
    for (Class<?> c : tableClasses()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == StructType.class) {
          f.setAccessible(true);
          ColumnTypes.problems(tableName(c, f.getName()), (StructType) f.get(null))
              .forEach(p -> problems.add(c.getSimpleName() + "." + f.getName() + ": " + p));
          schemas++;
        }
      }
    }
    assertTrue(schemas >= 30, "schemas found: " + schemas);
    assertEquals(List.of(), problems);
  }

  /** The rule itself, on hand-made schemas: what it must catch and what it must let through. */
  @Test
  void theRuleCatchesFloatingMoneyAndCountsAndUnclassifiedDoubles() {
    StructType bad = new StructType()
        .add("sales_rmb", DataTypes.DoubleType)
        .add("amount_rmb", DataTypes.createDecimalType(18, 3))
        .add("active_sellers", DataTypes.DoubleType)
        .add("villages_with_sales", DataTypes.FloatType)
        .add("value", DataTypes.DoubleType)
        .add("platform_sales_rmb", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    List<String> problems = ColumnTypes.problems("t", bad);
    assertEquals(6, problems.size(), problems.toString());
    StructType good = new StructType()
        .add("sales_rmb", DataTypes.createDecimalType(28, 2))
        .add("active_sellers", DataTypes.LongType)
        .add("household_share", DataTypes.DoubleType)
        .add("households_monthly_growth", DataTypes.DoubleType)
        .add("median_order_rmb", DataTypes.DoubleType)
        .add("value", DataTypes.createDecimalType(28, 2))
        .add("platform_sales_rmb", DataTypes.createMapType(DataTypes.StringType, DataTypes.createDecimalType(28, 2)));
    assertEquals(List.of(), ColumnTypes.problems("t", good));
    assertEquals(List.of(), ColumnTypes.problems("typology_evaluation", new StructType().add("value",
        DataTypes.DoubleType)));
  }

  /** The table a schema field describes: {@code X_SCHEMA} that of constant {@code X}, else {@code NAME}. */
  static String tableName(Class<?> c, String schemaField) {
    for (String constant : List.of(schemaField.replaceFirst("_SCHEMA$", ""), "NAME")) {
      try {
        Object name = c.getDeclaredField(constant).get(null);
        if (name instanceof String s) {
          return s;
        }
      } catch (ReflectiveOperationException e) {
        // not declared: try the next
      }
    }
    return c.getSimpleName();
  }

  /** The classes of package org.taobaovillages.table as compiled (main classes only: test classes are skipped). */
  static List<Class<?>> tableClasses() throws URISyntaxException, java.io.IOException, ClassNotFoundException {
    Path dir = Path.of(VillageStatus.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("org/taobaovillages/table");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        if (file.endsWith(".class") && !file.contains("$")) {
          classes.add(Class.forName("org.taobaovillages.table." + file.substring(0, file.length() - 6)));
        }
      }
    }
    return classes;
  }
}
