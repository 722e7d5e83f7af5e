package org.taobaovillages.ingest;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input file set after its checks: its rows (persisted: the audit, the quarantine and the commit all use
 * them), the reports of its files, and whether its directory was in the delivery.
 */
record CheckedInput(InputFiles.FileSet set, Dataset<Row> rows, List<InputFiles.FileReport> files, boolean delivered) {}
