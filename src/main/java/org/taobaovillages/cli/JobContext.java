package org.taobaovillages.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.config.AppConfig;
import org.taobaovillages.spark.RunContext;
import org.taobaovillages.spark.Warehouse;

/** What a job needs once options are parsed: config, session, warehouse, run identity, and where to report. */
record JobContext(AppConfig config, SparkSession spark, Warehouse warehouse, RunContext run, PrintWriter out) {}
