package org.taobaovillages.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.taobaovillages.spark.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The one entry point: {@code taobao-villages <subcommand> [options]}. Exit code 0 on success, 1 when a job
 * fails, 2 for a bad command line. Failures are one line on stderr; the stack trace only with --verbose.
 */
@Command(name = "taobao-villages", mixinStandardHelpOptions = true, version = "taobao-villages 0.1.0",
    description = "Taobao Village detection from seller transaction records, on Apache Spark.",
    subcommands = {GenerateCommand.class, IngestCommand.class, AggregateCommand.class, DetectCommand.class,
        ExportCommand.class, OptimizeCommand.class, EvaluateCommand.class, TypologyCommand.class, PipelineCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand");
  }

  public static void main(String[] args) {
    int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; never exits the JVM (tests call this). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage()
          + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help')");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean verbose = parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      PrintWriter e = commandLine.getErr();
      e.println("error: " + describe(ex) + (verbose || ex instanceof UserError ? "" : " (--verbose shows the stack trace)"));
      if (verbose) {
        ex.printStackTrace(e);
      }
      e.flush();
      return 1;
    });
    return cli.execute(args);
  }

  /** One line: the user's error as written; anything else as its type and the first line of its message. */
  static String describe(Throwable ex) {
    if (ex instanceof UserError) {
      return ex.getMessage();
    }
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof UserError) {
        return root.getMessage();
      }
      root = root.getCause();
    }
    String message = String.valueOf(ex.getMessage());
    int nl = message.indexOf('\n');
    return ex.getClass().getSimpleName() + ": " + (nl < 0 ? message : message.substring(0, nl));
  }
}
