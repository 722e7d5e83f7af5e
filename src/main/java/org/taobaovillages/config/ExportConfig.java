package org.taobaovillages.config;

/** BI export settings. */
public record ExportConfig(long minActiveSellers) {}
