package org.taobaovillages.config;

import java.util.List;

/**
 * The typology (domain.md sections 4-5): thresholds of the rule-based 2x2 and of the village labels, the
 * behavioural clustering and the emergence model. {@code version} is stored with every output row.
 *
 * @param sectorManufacturingShare robust economic sector: census manufacturing employment share at least this
 * @param sectorWholesaleRetailShare ... or wholesale/retail share at least this
 * @param migrantShare migrant entrepreneurs: census share of residents with hukou in another province at least this
 * @param returnMigrantSellerShare return migrants: share of a county's active sellers who are return migrants
 * @param minSellersForOrigin the seller-based entrepreneur signal needs at least this many sellers of known origin
 * @param producerMinHhi producer-based village: category concentration (Herfindahl of order counts) at least this
 * @param liveStreamMinShare live-stream village: share of sales on live-stream platforms at least this
 * @param hypoMinMigrantShare hypo-embedded: merchant village whose sellers are migrants at least this share
 * @param minVillageSellers business model and embeddedness only for village-years with this many active sellers
 * @param liveStreamPlatforms platforms that sell by live-stream
 * @param newPlatforms platforms that came after Taobao/Tmall/JD (the platform-mix feature)
 * @param farmProduceCategories order categories of farm produce (the farm-produce share feature)
 * @param kMin smallest k tried by the clustering
 * @param kMax largest k tried
 * @param minCountySellers counties clustered: at least this many active sellers in the clustering year
 * @param seed seed of KMeans, BisectingKMeans and the gradient-boosted trees
 * @param trainUntil emergence: training rows have their outcome year at most this; later ones are held out
 * @param maxIter gradient-boosted trees: iterations
 * @param maxDepth gradient-boosted trees: depth
 * @param precisionAt the k of precision at k
 */
public record TypologyConfig(
    String version,
    double sectorManufacturingShare,
    double sectorWholesaleRetailShare,
    double migrantShare,
    double returnMigrantSellerShare,
    long minSellersForOrigin,
    double producerMinHhi,
    double liveStreamMinShare,
    double hypoMinMigrantShare,
    long minVillageSellers,
    List<String> liveStreamPlatforms,
    List<String> newPlatforms,
    List<String> farmProduceCategories,
    int kMin,
    int kMax,
    long minCountySellers,
    long seed,
    int trainUntil,
    int maxIter,
    int maxDepth,
    List<Integer> precisionAt) {

  public TypologyConfig {
    if (kMin < 2 || kMax < kMin) {
      throw new ConfigError("typology.clustering: need 2 <= k-min <= k-max, got " + kMin + ".." + kMax);
    }
    liveStreamPlatforms = List.copyOf(liveStreamPlatforms);
    newPlatforms = List.copyOf(newPlatforms);
    farmProduceCategories = List.copyOf(farmProduceCategories);
    precisionAt = List.copyOf(precisionAt);
  }
}
