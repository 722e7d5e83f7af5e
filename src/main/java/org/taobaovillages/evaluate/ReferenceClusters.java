package org.taobaovillages.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.taobaovillages.region.Neighbours;

/**
 * Clusters of points counted in plain Java, for scoring the distributed cluster detection against the generator's
 * designed Taobao Villages: union-find over the pairs at most a distance apart, the pairs found in a hash grid of
 * cells one distance wide (checked exactly with the haversine distance). Written apart from the detection code on
 * purpose: a shared bug would hide.
 */
public final class ReferenceClusters {
  private ReferenceClusters() {}

  /** A point: its id and coordinates in degrees. */
  public record Point(String id, double longitude, double latitude) {}

  /** Sizes of the connected groups of {@code points} linked when at most {@code km} apart. */
  public static List<Integer> groupSizes(List<Point> points, double km) {
    int n = points.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    double maxLat = 0;
    for (Point p : points) {
      maxLat = Math.max(maxLat, Math.abs(p.latitude()));
    }
    double dLat = km * 1.01 / 111.195;
    double dLon = km * 1.01 / (111.195 * Math.cos(Math.toRadians(Math.min(maxLat, 88))));
    Map<Long, List<Integer>> cells = new HashMap<>();
    for (int i = 0; i < n; i++) {
      cells.computeIfAbsent(cell((long) Math.floor(points.get(i).longitude() / dLon),
          (long) Math.floor(points.get(i).latitude() / dLat)), k -> new ArrayList<>()).add(i);
    }
    for (int i = 0; i < n; i++) {
      Point p = points.get(i);
      long cx = (long) Math.floor(p.longitude() / dLon);
      long cy = (long) Math.floor(p.latitude() / dLat);
      for (long dx = -1; dx <= 1; dx++) {
        for (long dy = -1; dy <= 1; dy++) {
          for (int j : cells.getOrDefault(cell(cx + dx, cy + dy), List.of())) {
            Point q = points.get(j);
            if (j > i && Neighbours.haversineKm(p.latitude(), p.longitude(), q.latitude(), q.longitude()) <= km) {
              parent[find(parent, i)] = find(parent, j);
            }
          }
        }
      }
    }
    Map<Integer, Integer> sizes = new HashMap<>();
    for (int i = 0; i < n; i++) {
      sizes.merge(find(parent, i), 1, Integer::sum);
    }
    return new ArrayList<>(sizes.values());
  }

  private static long cell(long x, long y) {
    return x * 1_000_003L + y;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
