package lifeboat.cli.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import lifeboat.cli.Main;
import picocli.CommandLine;

/** Runs a `lifeboat` command in this JVM through {@link Main#commandLine()}, capturing both streams. */
public final class InProcessCli {
  private InProcessCli() {}

  public static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliResult(exit, out.toString(), err.toString());
  }
}
