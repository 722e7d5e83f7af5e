package org.taobaovillages.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in this JVM (on the shared test session) and captures what it prints. */
public final class CliRunner {
  private CliRunner() {}

  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
