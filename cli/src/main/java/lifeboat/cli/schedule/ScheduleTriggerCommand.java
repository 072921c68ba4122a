package lifeboat.cli.schedule;

import picocli.CommandLine.Command;

@Command(name = "trigger", mixinStandardHelpOptions = true, description = {
    "Run a schedule's runbook now, even while paused (skipped if its previous run is still going)."})
public final class ScheduleTriggerCommand extends ScheduleControlCommand {
  @Override
  String control(ScheduleBackend schedules, String id) {
    schedules.trigger(id);
    return "triggered " + id + "; `lifeboat schedule list` shows the run";
  }
}
