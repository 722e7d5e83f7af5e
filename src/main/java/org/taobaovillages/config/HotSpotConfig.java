package org.taobaovillages.config;

/**
 * Emerging hot spot analysis (Getis-Ord Gi* per year, Mann-Kendall trend, ArcGIS categories) on one village
 * metric per calendar year ({@code metric}: sales_rmb or active_sellers, under the active-seller definition of
 * {@code rule}). Neighbours: every village within {@code distanceKm}, or, when {@code kNearest} is above 0, the
 * k nearest within {@code distanceKm} (the band bounds the search). Gi* is significant when its p-value passes
 * {@code alpha} after the Benjamini-Hochberg false-discovery-rate correction (when {@code fdr}); the trend when
 * the Mann-Kendall p-value is below {@code alpha}.
 */
public record HotSpotConfig(String version, String rule, String metric, double distanceKm, int kNearest,
    double alpha, boolean fdr) {}
