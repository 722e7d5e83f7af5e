package org.taobaovillages.config;

import java.util.List;

/**
 * What {@code detect} runs: the rules selected ({@code rules}, all when empty; {@code --rules} overrides), the
 * primary village rule that summaries and the BI export lead with, the watchlist and the hot spot analysis.
 */
public record DetectConfig(List<String> rules, String primaryRule, WatchlistConfig watchlist, HotSpotConfig hotSpots) {}
