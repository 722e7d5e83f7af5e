package org.taobaovillages.ingest;

import java.util.List;
import org.apache.spark.SparkThrowable;
import org.taobaovillages.ingest.InputFiles.LateBadFile;

/**
 * Bad files found while the rows were read (a corrupt Parquet page, a text file that cannot be read to its end,
 * a file that gave another number of rows than it holds): the run starts again without them, or fails.
 */
final class LateBadFiles extends RuntimeException {
  private final transient List<LateBadFile> files;

  LateBadFiles(List<LateBadFile> files) {
    super(files.size() + " bad files found while reading");
    this.files = List.copyOf(files);
  }

  List<LateBadFile> files() {
    return files;
  }

  /**
   * The bad file behind a failure while rows were read: a Spark task that could not read a file names it
   * ({@code FAILED_READ_FILE}); a text file that could not be read to its end, likewise. Null for other failures.
   */
  static LateBadFiles behind(Exception e, List<CheckedInput> inputs) {
    if (e instanceof LateBadFiles bad) {
      return bad;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TextReader.UnreadableFile u) {
        return new LateBadFiles(List.of(new LateBadFile(u.fileId, Reason.CORRUPT_FILE, u.getMessage())));
      }
      if (t instanceof SparkThrowable st && st.getCondition() != null
          && st.getCondition().startsWith("FAILED_READ_FILE") && st.getMessageParameters().containsKey("path")) {
        String file = matchFile(st.getMessageParameters().get("path"), inputs);
        if (file != null) {
          return new LateBadFiles(List.of(new LateBadFile(file, Reason.CORRUPT_FILE, "cannot read the file's data: "
              + InputFiles.firstLine(InputFiles.rootMessage(t)))));
        }
      }
    }
    return null;
  }

  /** The id of the input file that {@code path} (as Spark reports it) names, or null. */
  private static String matchFile(String path, List<CheckedInput> inputs) {
    String wanted = java.net.URI.create(path).getPath();
    for (CheckedInput c : inputs) {
      for (InputFiles.FileReport f : c.files()) {
        if (java.net.URI.create(f.file()).getPath().equals(wanted)) {
          return f.file();
        }
      }
    }
    return null;
  }
}
