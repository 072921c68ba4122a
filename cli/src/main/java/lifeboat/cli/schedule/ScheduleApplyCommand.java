package lifeboat.cli.schedule;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.runbook.RunbookLoader;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.worker.ConfiguredDatabases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true, description = {
    "Create or update one schedule per runbook with a schedule; remove those whose runbook is gone.",
    "Nothing is applied when any runbook is invalid, or names a database lifeboat.yaml (when at hand) lacks."})
public final class ScheduleApplyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", defaultValue = "runbooks", description = "Folder of runbooks (default ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() {
    // A runbook for a database the workers lack would fail at every run: refused here, where lifeboat.yaml is.
    List<Runbook> runbooks = RunbookLoader.loadDirectory(dir,
        ConfiguredDatabases.of(temporal.config().path(), temporal.config().named()).orElse(null)).orThrow();
    try (Temporal t = new Temporal(temporal)) {
      Schedules.apply(t, runbooks, spec.commandLine().getOut());
    }
    return ExitCodes.OK;
  }
}
