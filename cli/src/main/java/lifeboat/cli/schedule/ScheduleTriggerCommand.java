package lifeboat.cli.schedule;

import lifeboat.workflows.schedule.ScheduleWorkflow;
import picocli.CommandLine.Command;

@Command(name = "trigger", description = {
    "Run a schedule's runbook now, even while paused (skipped if its previous run is still going)."})
public final class ScheduleTriggerCommand extends ScheduleSignalCommand {
  @Override
  String signal(ScheduleWorkflow schedule, String workflowId) {
    schedule.trigger();
    return "triggered " + workflowId + "; `lifeboat schedule list` shows the run";
  }
}
