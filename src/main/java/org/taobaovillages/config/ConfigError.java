package org.taobaovillages.config;

import org.taobaovillages.spark.UserError;

/** A configuration value that is missing or not of the expected form. */
public final class ConfigError extends UserError {
  public ConfigError(String message) {
    super(message);
  }
}
