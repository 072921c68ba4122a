package lifeboat.cli.schedule;

import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Fire a paused schedule again, from its next cron time (missed ones are not made up).")
public final class ScheduleResumeCommand extends ScheduleControlCommand {
  @Override
  String control(ScheduleBackend schedules, String id) {
    schedules.resume(id);
    return "resumed " + id;
  }
}
