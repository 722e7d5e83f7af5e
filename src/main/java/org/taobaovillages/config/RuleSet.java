package org.taobaovillages.config;

/**
 * A versioned Taobao Village rule (domain.md section 2): sales criterion AND Taobao as primary platform AND
 * (active shops criterion OR household share criterion).
 */
public record RuleSet(
    String id,
    String version,
    String description,
    String source,
    Criterion sales,
    Criterion activeShops,
    Criterion householdShare,
    Criterion taobaoShare) {}
