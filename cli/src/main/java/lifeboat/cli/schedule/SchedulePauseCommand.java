package lifeboat.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pause", mixinStandardHelpOptions = true, description = {
    "Hold back a schedule's fires until `schedule resume`.",
    "A run in progress goes on; `trigger` still runs."})
public final class SchedulePauseCommand extends ScheduleControlCommand {
  @Option(names = "--reason", description = "Why, shown by `schedule list`.")
  String reason;

  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who (default: ${DEFAULT-VALUE}).")
  String by;

  @Override
  String control(ScheduleBackend schedules, String id) {
    schedules.pause(id, by, reason);
    return "paused " + id + (reason == null ? "" : ": " + reason);
  }
}
