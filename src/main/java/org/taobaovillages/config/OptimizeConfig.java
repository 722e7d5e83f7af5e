package org.taobaovillages.config;

import java.time.Duration;

/**
 * The {@code optimize} settings: how long files no table version needs any more are kept (Delta VACUUM's
 * retention), and how often a table is vacuumed (its last VACUUM, or its creation, at least this long ago).
 */
public record OptimizeConfig(Duration vacuumRetention, Duration vacuumInterval) {}
