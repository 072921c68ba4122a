package lifeboat.cli.schedule;

import lifeboat.workflows.schedule.ScheduleWorkflow;
import picocli.CommandLine.Command;

@Command(name = "resume",
    description = "Fire a paused schedule again, from its next cron time (missed ones are not made up).")
public final class ScheduleResumeCommand extends ScheduleSignalCommand {
  @Override
  String signal(ScheduleWorkflow schedule, String workflowId) {
    schedule.resume();
    return "resumed " + workflowId;
  }
}
