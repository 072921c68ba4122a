package lifeboat.cli.schedule;

import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleRange;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.CronSchedule;

/**
 * Where a native Temporal Schedule and the ScheduleWorkflow fallback would disagree: a cron wall time that a
 * spring-forward change skips (02:30 in Berlin on the last Sunday of March). Temporal skips that run (measured on
 * the dev server); the fallback runs it once the clocks have moved, at 03:30. A nightly backup must not vanish
 * once a year, so the native schedule gets one extra calendar entry per such night, at the time the fallback
 * would fire, for the next {@link #YEARS} years (every `schedule apply`, and `lifeboat dev` at each start,
 * recomputes them). Pure: the zone rules and the cron, no server.
 */
final class DstGaps {
  static final int YEARS = 10;

  private DstGaps() {}

  /**
   * The wall times, within {@link #YEARS} years of {@code now}, at which the fallback fires for a cron match that
   * the zone skips, and which the cron does not match by itself (a `*&#47;5` cron fires at 03:00 anyway).
   */
  static List<LocalDateTime> makeUpRuns(Runbook runbook, Instant now) {
    CronSchedule cron = CronSchedule.of(runbook.schedule());
    ZoneId zone = cron.zone();
    Instant end = now.plus(YEARS * 366L, ChronoUnit.DAYS);
    TreeSet<LocalDateTime> runs = new TreeSet<>();
    for (ZoneOffsetTransition t = zone.getRules().nextTransition(now); t != null && t.getInstant().isBefore(end);
         t = zone.getRules().nextTransition(t.getInstant())) {
      if (!t.isGap()) {
        continue;
      }
      Duration shift = t.getDuration();
      // Wall times in [before, after) do not exist that night; the cron is matched on wall-clock fields.
      LocalDateTime after = t.getDateTimeAfter();
      for (LocalDateTime wall = t.getDateTimeBefore(); wall.isBefore(after); wall = wall.plusMinutes(1)) {
        LocalDateTime shifted = wall.plus(shift);
        if (cron.matchesWallTime(wall) && !cron.matchesWallTime(shifted)) {
          runs.add(shifted);
        }
      }
    }
    return new ArrayList<>(runs);
  }

  /** Each make-up run as a calendar entry of the schedule (read in the schedule's time zone). */
  static List<ScheduleCalendarSpec> calendars(Runbook runbook, Instant now) {
    return makeUpRuns(runbook, now).stream().map(wall -> ScheduleCalendarSpec.newBuilder()
            .setYear(List.of(new ScheduleRange(wall.getYear())))
            .setMonth(List.of(new ScheduleRange(wall.getMonthValue())))
            .setDayOfMonth(List.of(new ScheduleRange(wall.getDayOfMonth())))
            .setDayOfWeek(List.of(new ScheduleRange(0, 6)))
            .setHour(List.of(new ScheduleRange(wall.getHour())))
            .setMinutes(List.of(new ScheduleRange(wall.getMinute())))
            .setSeconds(List.of(new ScheduleRange(0)))
            .setComment("make-up run: the cron's time does not exist that night (clocks go forward)")
            .build())
        .toList();
  }

  /** The `note:` line apply prints for such a runbook, or empty. */
  static Optional<String> note(String id, Runbook runbook, Instant now) {
    List<LocalDateTime> runs = makeUpRuns(runbook, now);
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    LocalDateTime first = runs.get(0);
    return Optional.of("  note: " + id + ": the cron's time does not exist on " + first.toLocalDate() + " in "
        + runbook.schedule().timeZone() + " (clocks go forward); that night it runs at " + first.toLocalTime()
        + " instead, like every such night of the next " + YEARS + " years (" + runs.size() + " in all)");
  }
}
