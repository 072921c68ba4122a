package lifeboat.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.ScheduleSpec;
import org.junit.jupiter.api.Test;

/**
 * Which crons would lose a run to a spring-forward change on a native Temporal Schedule (measured: it skips them),
 * and the make-up runs added for them, at the time the ScheduleWorkflow fallback fires.
 */
class DstGapsTest {
  private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");

  private static Runbook nightly(String cron, String zone) {
    return new Runbook(Runbook.KIND_BACKUP, "notes-nightly", "notes", new ScheduleSpec(cron, zone, null), null, null,
        null, null, null, null, null);
  }

  @Test
  void aNightlyRunInsideTheSpringGapIsMadeUpAnHourLaterEveryYear() {
    List<LocalDateTime> runs = DstGaps.makeUpRuns(nightly("30 2 * * *", "Europe/Berlin"), JANUARY);
    assertEquals(LocalDateTime.parse("2026-03-29T03:30"), runs.get(0));
    assertEquals(LocalDateTime.parse("2027-03-28T03:30"), runs.get(1));
    assertEquals(DstGaps.YEARS, runs.size(), runs.toString());
    assertEquals(DstGaps.YEARS, DstGaps.calendars(nightly("30 2 * * *", "Europe/Berlin"), JANUARY).size());
    assertTrue(DstGaps.note("schedule-notes-nightly", nightly("30 2 * * *", "Europe/Berlin"), JANUARY).orElseThrow()
        .contains("does not exist on 2026-03-29 in Europe/Berlin (clocks go forward); that night it runs at 03:30"));
  }

  @Test
  void timesOutsideTheGapZonesWithoutOneAndCronsThatFireAfterTheGapAnywayNeedNone() {
    assertEquals(List.of(), DstGaps.makeUpRuns(nightly("30 3 * * *", "Europe/Berlin"), JANUARY));
    assertEquals(List.of(), DstGaps.makeUpRuns(nightly("30 2 * * *", null), JANUARY));
    assertEquals(List.of(), DstGaps.makeUpRuns(nightly("30 2 * * *", "Asia/Tokyo"), JANUARY));
    // Every five minutes: 03:00 is a run of its own, as it is for the fallback.
    assertEquals(List.of(), DstGaps.makeUpRuns(nightly("*/5 * * * *", "Europe/Berlin"), JANUARY));
  }
}
