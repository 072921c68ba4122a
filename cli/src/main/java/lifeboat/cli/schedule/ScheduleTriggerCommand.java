package lifeboat.cli.schedule;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trigger", description = {
    "Run a schedule's runbook now, even while paused (skipped if its previous run is still going)."})
public final class ScheduleTriggerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (or schedule-<runbook>).")
  String name;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      Schedules.stub(t, name).trigger();
      spec.commandLine().getOut().println("triggered " + Schedules.idOf(name)
          + "; `lifeboat schedule list` shows the run");
      return ExitCodes.OK;
    }
  }
}
