package lifeboat.cli.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.CronSchedule;

/**
 * Where a native Temporal Schedule and the ScheduleWorkflow fallback disagree: a cron wall time that a
 * spring-forward change skips. Temporal skips that run; the fallback runs it when the clocks have moved. Pure:
 * the zone rules and the cron, no server.
 */
final class DstGaps {
  private DstGaps() {}

  /** The first wall time within a year of {@code now} that the cron matches and the zone skips, if any. */
  static Optional<LocalDateTime> firstSkipped(Runbook runbook, Instant now) {
    CronSchedule cron = CronSchedule.of(runbook.schedule());
    ZoneId zone = cron.zone();
    Instant end = now.plus(366, ChronoUnit.DAYS);
    for (ZoneOffsetTransition t = zone.getRules().nextTransition(now); t != null && t.getInstant().isBefore(end);
         t = zone.getRules().nextTransition(t.getInstant())) {
      if (!t.isGap()) {
        continue;
      }
      // Wall times in [before, after) do not exist that night; the cron is matched on wall-clock fields.
      for (LocalDateTime wall = t.getDateTimeBefore(); wall.isBefore(t.getDateTimeAfter()); wall = wall.plusMinutes(1)) {
        if (cron.matchesWallTime(wall)) {
          return Optional.of(wall);
        }
      }
    }
    return Optional.empty();
  }

  /** The `note:` line apply prints for such a runbook, or empty. */
  static Optional<String> note(String id, Runbook runbook, Instant now) {
    return firstSkipped(runbook, now).map(wall -> "  note: " + id + ": " + wall.toLocalTime() + " "
        + runbook.schedule().timeZone() + " does not exist on " + wall.toLocalDate() + " (clocks go forward), and a"
        + " Temporal Schedule skips that run. HINT: schedule outside the change hour, or in UTC, if that night matters");
  }
}
