package lifeboat.cli.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import lifeboat.cli.Main;
import picocli.CommandLine;

/** Runs a `lifeboat` command in this JVM through {@link Main#commandLine()}, capturing both streams. */
public final class InProcessCli {
  private InProcessCli() {}

  public static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = commandLine(out, err).execute(args);
    return new CliResult(exit, out.toString(), err.toString());
  }

  /** A command started on its own thread, whose output can be read while it runs (`backup run --wait`). */
  public static Running start(String... args) {
    return new Running(args);
  }

  public static final class Running {
    private final StringWriter out = new StringWriter(); // a StringBuffer inside: safe to read from the test
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int exit = -1;

    private Running(String[] args) {
      thread = new Thread(() -> exit = commandLine(out, err).execute(args), "lifeboat " + String.join(" ", args));
      thread.setDaemon(true);
      thread.start();
    }

    /** What it printed so far. */
    public String out() {
      return out.toString();
    }

    public CliResult join(Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      if (thread.isAlive()) {
        throw new AssertionError("still running after " + timeout + ":\n" + out + "\n" + err);
      }
      return new CliResult(exit, out.toString(), err.toString());
    }
  }

  private static CommandLine commandLine(StringWriter out, StringWriter err) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
