package lifeboat.cli.schedule;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.schedule.ScheduleWorkflow;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What pause, resume and trigger share: a schedule named on the command line, one signal, one line said. */
abstract class ScheduleSignalCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (or schedule-<runbook>).")
  String name;

  /** Sends the signal; returns what to print. */
  abstract String signal(ScheduleWorkflow schedule, String workflowId);

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      spec.commandLine().getOut().println(signal(Schedules.stub(t, name), Schedules.idOf(name)));
      return ExitCodes.OK;
    }
  }
}
