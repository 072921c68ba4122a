package lifeboat.cli.schedule;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What pause, resume and trigger share: a schedule named on the command line, one control, one line said. */
abstract class ScheduleControlCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (or schedule-<runbook>).")
  String name;

  /** Sends the control to the schedule {@code id}; returns what to print. */
  abstract String control(ScheduleBackend schedules, String id);

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      String id = ScheduleIds.idOf(name);
      spec.commandLine().getOut().println(control(Schedules.on(t), id));
      return ExitCodes.OK;
    } catch (ScheduleNotFoundException e) {
      spec.commandLine().getErr().println("lifeboat: " + e.getMessage());
      return ExitCodes.UNEXPECTED_STATE;
    }
  }
}
