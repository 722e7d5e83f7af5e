package org.taobaovillages.ingest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.UserError;

/**
 * What a delivery holds: the files of each file set ({@code <input>/<set>/}, at any depth), the files that
 * cannot be opened (broken symbolic links, which Hadoop's listing leaves out without a word), and the files
 * outside the file sets. Names (at any depth) starting with "_" or "." are skipped (_SUCCESS, .crc). Paths are
 * kept as URIs, so that a name with spaces, brackets, braces, '*', '?', '#' or '%' stays that file's name.
 */
record InputListing(Map<String, List<String>> fileSets, Map<String, List<Unreadable>> unreadable,
    List<String> outside) {

  /** A directory entry that cannot be read: its URI and why. */
  record Unreadable(String uri, String error) {}

  /** Whether the file set's directory is in the delivery. */
  boolean delivered(String fileSet) {
    return fileSets.containsKey(fileSet);
  }

  /**
   * Lists {@code input}: each of {@code names} that is a directory under it, with its files sorted; everything
   * else that is not hidden is outside. Fails with a clear error if the input holds none of the file sets.
   */
  static InputListing of(SparkSession spark, String input, List<String> names) {
    try {
      URI uri = URI.create(input);
      FileSystem fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(new Path(uri));
      if (!fs.exists(root)) {
        throw new UserError("input not found: " + input);
      }
      Map<String, List<String>> sets = new LinkedHashMap<>();
      Map<String, List<Unreadable>> unreadable = new LinkedHashMap<>();
      List<String> outside = new ArrayList<>();
      List<String> found = new ArrayList<>();
      FileStatus[] top = fs.listStatus(root);
      Arrays.sort(top);
      for (FileStatus entry : top) {
        String name = entry.getPath().getName();
        if (hidden(name)) {
          continue;
        }
        found.add(name + (entry.isDirectory() ? "/" : ""));
        if (entry.isDirectory() && names.contains(name)) {
          sets.put(name, files(fs, entry.getPath()));
          unreadable.put(name, new ArrayList<>());
        } else if (entry.isDirectory()) {
          outside.addAll(files(fs, entry.getPath()));
        } else {
          outside.add(InputFiles.uriOf(entry.getPath()));
        }
      }
      brokenLinks(root).forEach((link, set) -> {
        if (unreadable.containsKey(set)) {
          unreadable.get(set).add(link);
        } else {
          outside.add(link.uri());
        }
      });
      if (sets.isEmpty()) {
        throw new UserError("input " + input + " holds none of the file sets " + String.join("/, ", names)
            + "/ (found: " + (found.isEmpty() ? "nothing" : String.join(", ", found)) + ")");
      }
      return new InputListing(sets, unreadable, List.copyOf(outside));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot list input " + input + ": " + InputFiles.firstLine(e.getMessage()));
    }
  }

  /** The files under {@code dir} whose relative path has no hidden part, sorted, as URIs. */
  private static List<String> files(FileSystem fs, Path dir) throws IOException {
    String rootPath = dir.toUri().getPath();
    List<String> files = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      String relative = p.toUri().getPath().substring(Math.min(rootPath.length(), p.toUri().getPath().length()));
      if (Arrays.stream(relative.split("/")).noneMatch(InputListing::hidden)) {
        files.add(InputFiles.uriOf(p));
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * Broken symbolic links under a local input, each with the first part of its path under the input (its file
   * set, if it is in one). Hadoop's local listing skips them silently; here they become unreadable files. Other
   * file systems have none that Hadoop would hide.
   */
  private static Map<Unreadable, String> brokenLinks(Path root) throws IOException {
    URI uri = root.toUri();
    Map<Unreadable, String> broken = new java.util.TreeMap<>(java.util.Comparator.comparing(Unreadable::uri));
    if (!"file".equals(uri.getScheme())) {
      return broken;
    }
    java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
    try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
      for (java.nio.file.Path p : walk.toList()) {
        java.nio.file.Path relative = local.relativize(p);
        boolean hiddenPart = false;
        for (java.nio.file.Path part : relative) {
          hiddenPart |= hidden(part.toString());
        }
        if (!hiddenPart && Files.isSymbolicLink(p) && !Files.exists(p)) {
          String link = InputFiles.uriOf(new Path(root, new Path(null, null, relative.toString())));
          broken.put(new Unreadable(link, "broken symbolic link (its target " + Files.readSymbolicLink(p)
              + " does not exist)"), relative.getName(0).toString());
        }
      }
    }
    return broken;
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }
}
