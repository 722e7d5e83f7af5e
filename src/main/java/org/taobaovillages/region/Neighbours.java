package org.taobaovillages.region;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairs of points at most a distance apart, found distributed by grid blocking, never by comparing all pairs:
 * every point falls in one cell of a latitude/longitude grid whose cells are at least the distance wide, so two
 * points within the distance lie in the same or adjacent cells; each point is joined only with the points of
 * its 3 x 3 block of cells (an equi-join on the cell), then the great-circle distance (haversine, mean Earth
 * radius 6,371.0088 km) is checked exactly.
 *
 * <p>Cells are {@code d / 111.195} degrees of latitude high (on the sphere the distance is measured on, a degree
 * of latitude is 2πR / 360 = 111.195 km, so a cell spans d) and {@code d / (111.195 x cos(φmax))} degrees of
 * longitude wide, where φmax is the largest absolute latitude among the points (a degree of longitude spans
 * 111.195 cos φ km, least at φmax); so the 3 x 3 block of a point holds every point within d of it, wherever it
 * lies.
 */
public final class Neighbours {
  public static final String ID = "id";
  public static final String LONGITUDE = "longitude";
  public static final String LATITUDE = "latitude";
  public static final String GROUP = "group";
  public static final String FROM = "from_id";
  public static final String TO = "to_id";
  public static final String DISTANCE_KM = "distance_km";

  static final double EARTH_RADIUS_KM = 6371.0088;
  /** Kilometres per degree on a sphere of the mean radius (2 pi R / 360): a lower bound kept with margin below. */
  static final double KM_PER_DEGREE = 111.195;

  private static final String CELL_X = "_cx";
  private static final String CELL_Y = "_cy";

  private Neighbours() {}

  /**
   * Directed pairs (from, to) of distinct points of the same {@code group} at most {@code km} apart, with their
   * distance: every pair in both directions. {@code points} has columns {@link #ID}, {@link #LONGITUDE},
   * {@link #LATITUDE} and {@link #GROUP} (e.g. a year; use a constant for one set); points without coordinates
   * have no neighbours. {@code maxAbsLatitude} must bound the points' absolute latitudes.
   */
  public static Dataset<Row> within(Dataset<Row> points, double km, double maxAbsLatitude) {
    if (!(maxAbsLatitude < 89)) {
      throw new IllegalArgumentException("latitudes up to " + maxAbsLatitude + " are too close to a pole");
    }
    // 1 % margin on the cell size covers the difference between the sphere's degree and the shortest real one.
    double dLat = km * 1.01 / KM_PER_DEGREE;
    double dLon = km * 1.01 / (KM_PER_DEGREE * Math.cos(Math.toRadians(maxAbsLatitude)));
    Dataset<Row> located = points.where(col(LONGITUDE).isNotNull().and(col(LATITUDE).isNotNull()))
        .select(col(GROUP), col(ID), col(LONGITUDE), col(LATITUDE),
            floor(col(LONGITUDE).divide(dLon)).as(CELL_X), floor(col(LATITUDE).divide(dLat)).as(CELL_Y));
    List<Column> block = new ArrayList<>();
    for (int dx = -1; dx <= 1; dx++) {
      for (int dy = -1; dy <= 1; dy++) {
        block.add(struct(col(CELL_X).plus(dx).as(CELL_X), col(CELL_Y).plus(dy).as(CELL_Y)));
      }
    }
    Dataset<Row> probes = located.select(col(GROUP), col(ID).as(FROM), col(LONGITUDE).as("_lon1"),
            col(LATITUDE).as("_lat1"), explode(array(block.toArray(Column[]::new))).as("_cell"))
        .select(col(GROUP), col(FROM), col("_lon1"), col("_lat1"), col("_cell." + CELL_X).as(CELL_X),
            col("_cell." + CELL_Y).as(CELL_Y));
    Dataset<Row> targets = located.select(col(GROUP), col(ID).as(TO), col(LONGITUDE).as("_lon2"),
        col(LATITUDE).as("_lat2"), col(CELL_X), col(CELL_Y));
    return probes.join(targets, scala.jdk.javaapi.CollectionConverters.asScala(List.of(GROUP, CELL_X, CELL_Y)).toSeq())
        .where(col(FROM).notEqual(col(TO)))
        .withColumn(DISTANCE_KM, haversineKm(col("_lat1"), col("_lon1"), col("_lat2"), col("_lon2")))
        .where(col(DISTANCE_KM).leq(km))
        .select(col(GROUP), col(FROM), col(TO), col(DISTANCE_KM));
  }

  /** Great-circle distance in km between two points given in degrees (haversine formula, Sinnott 1984). */
  public static Column haversineKm(Column lat1, Column lon1, Column lat2, Column lon2) {
    Column dLat = radians(lat2.minus(lat1));
    Column dLon = radians(lon2.minus(lon1));
    Column a = pow(sin(dLat.divide(2)), 2)
        .plus(cos(radians(lat1)).multiply(cos(radians(lat2))).multiply(pow(sin(dLon.divide(2)), 2)));
    return lit(2 * EARTH_RADIUS_KM).multiply(asin(least(lit(1.0), sqrt(a))));
  }

  /** The same distance in plain Java. */
  public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
  }
}
