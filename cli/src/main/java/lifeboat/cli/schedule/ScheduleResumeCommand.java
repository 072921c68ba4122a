package lifeboat.cli.schedule;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resume", description = "Fire a paused schedule again, from its next cron time (missed ones are not made up).")
public final class ScheduleResumeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (or schedule-<runbook>).")
  String name;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      Schedules.stub(t, name).resume();
      spec.commandLine().getOut().println("resumed " + Schedules.idOf(name));
      return ExitCodes.OK;
    }
  }
}
