package org.taobaovillages.config;

/** Where ingest finds the pseudonymisation key. */
public record IngestConfig(String pseudonymKeyEnv, String pseudonymKeyFile) {}
