package org.taobaovillages.spark;

import java.time.LocalDate;

/** Which run this is: an id for lineage and the date (period) the scheduler says it covers. */
public record RunContext(String runId, LocalDate runDate) {}
