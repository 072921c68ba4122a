package lifeboat.cli.runbook;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import lifeboat.cli.ConfigOption;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.schedule.Schedules;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.worker.ConfiguredDatabases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true, description = {
    "Check every runbook of a folder, without a Temporal server.",
    "Checks fields, kind, database, cron, time zone and jitter; with lifeboat.yaml at hand (--config, else"
        + " ./lifeboat.yaml when there), that each runbook's database is configured. Exits 2 with one line per"
        + " problem."})
public final class RunbookValidateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(index = "0", defaultValue = "runbooks", description = "Folder of runbooks (default ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() {
    RunbookLoader.Loaded loaded = RunbookLoader.loadDirectory(dir,
        ConfiguredDatabases.of(config.path(), config.named()).orElse(null));
    if (!loaded.ok()) {
      var err = spec.commandLine().getErr();
      loaded.problems().forEach(p -> err.println("lifeboat: " + p));
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    var out = spec.commandLine().getOut();
    for (Runbook r : loaded.runbooks()) {
      out.println(r.name() + ": " + r.kind() + " of " + (r.database() == null ? "every database" : r.database())
          + (r.schedule() == null ? ", not scheduled" : ", " + Schedules.describe(r)));
    }
    out.println(loaded.runbooks().size() + " runbook(s) valid, " + loaded.scheduled().size() + " scheduled");
    out.flush();
    return ExitCodes.OK;
  }
}
