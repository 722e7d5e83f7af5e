package org.taobaovillages.config;

import java.util.List;

/**
 * "Primary platform" (domain.md section 2, rule A): the listed platforms carry a share of the village's sales
 * that meets {@code share} (e.g. {@code >= 0.5}).
 */
public record PlatformCondition(List<String> platforms, Criterion share) {
  public String describe() {
    return "share of sales on " + String.join("/", platforms) + " " + share.operator().symbol() + " "
        + share.threshold().toPlainString();
  }
}
