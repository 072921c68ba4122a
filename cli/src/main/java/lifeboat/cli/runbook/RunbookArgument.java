package lifeboat.cli.runbook;

import java.nio.file.Path;
import java.util.List;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The runbook a command runs: its name (or file) and the folder to look it up in; mixed into each verb. */
public final class RunbookArgument {
  @Parameters(index = "0", description = "Runbook name (looked up in --runbooks) or a .yaml file.")
  String runbookName;

  @Option(names = "--runbooks", defaultValue = "runbooks", description = "Folder of runbooks (default ${DEFAULT-VALUE}).")
  Path dir;

  /** The runbook, validated; one of {@code kinds} or an IllegalArgumentException (exit 2) saying what it is. */
  public Runbook load(String... kinds) {
    Runbook runbook = RunbookLoader.find(runbookName, dir);
    if (!List.of(kinds).contains(runbook.kind())) {
      throw new IllegalArgumentException("runbook " + runbook.name() + " is a " + runbook.kind() + ", not a "
          + String.join(" or ", kinds));
    }
    return runbook;
  }
}
