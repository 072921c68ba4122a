package lifeboat.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.ScheduleSpec;
import org.junit.jupiter.api.Test;

/** Which crons lose a run to a spring-forward change on a native Temporal Schedule (measured: it skips them). */
class DstGapsTest {
  private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");

  private static Runbook nightly(String cron, String zone) {
    return new Runbook(Runbook.KIND_BACKUP, "notes-nightly", "notes", new ScheduleSpec(cron, zone, null), null, null,
        null, null, null, null, null);
  }

  @Test
  void aWallTimeInsideTheSpringGapIsFound() {
    assertEquals(Optional.of(LocalDateTime.parse("2026-03-29T02:30")),
        DstGaps.firstSkipped(nightly("30 2 * * *", "Europe/Berlin"), JANUARY));
    assertTrue(DstGaps.note("schedule-notes-nightly", nightly("30 2 * * *", "Europe/Berlin"), JANUARY).orElseThrow()
        .contains("02:30 Europe/Berlin does not exist on 2026-03-29"));
  }

  @Test
  void timesOutsideTheGapAndZonesWithoutOneAreFine() {
    assertEquals(Optional.empty(), DstGaps.firstSkipped(nightly("30 3 * * *", "Europe/Berlin"), JANUARY));
    assertEquals(Optional.empty(), DstGaps.firstSkipped(nightly("30 2 * * *", null), JANUARY));
    assertEquals(Optional.empty(), DstGaps.firstSkipped(nightly("30 2 * * *", "Asia/Tokyo"), JANUARY));
  }
}
