package org.taobaovillages.config;

/**
 * The watchlist of emerging villages: villages that do not qualify under {@code rule} at a month-end, with the
 * month each criterion would be met if its trailing 12-month value kept growing as it grew over the last
 * {@code growthMonths} months; listed when that is at most {@code horizonMonths} months away.
 */
public record WatchlistConfig(String version, String rule, int growthMonths, int horizonMonths) {}
