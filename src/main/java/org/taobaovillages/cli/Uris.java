package org.taobaovillages.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Turns a user's location into a URI: a scheme is kept as given, a plain path becomes an absolute file: URI. */
final class Uris {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private Uris() {}

  static String resolve(String location) {
    String uri = SCHEME.matcher(location).matches() ? location : Path.of(location).toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
