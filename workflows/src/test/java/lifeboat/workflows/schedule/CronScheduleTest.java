package lifeboat.workflows.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.runbook.ScheduleSpec;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static List<String> next(String cron, String zone, String from, int n) {
    CronSchedule s = CronSchedule.of(new ScheduleSpec(cron, zone, null));
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(from);
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t);
      out.add(t.toString());
    }
    return out;
  }

  @Test
  void aWallTimeTheSpringChangeSkipsRunsOnceTheClocksHaveMoved() {
    // 29 March 2026, Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that night.
    assertEquals(List.of("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"),
        next("30 2 * * *", "Europe/Berlin", "2026-03-27T12:00:00Z", 3));
  }

  @Test
  void aWallTimeTheAutumnChangeRepeatsRunsOnce() {
    // 25 October 2026, Berlin: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice.
    assertEquals(List.of("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
        next("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2));
    assertEquals(List.of("2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z", "2026-10-25T03:30:00Z"),
        next("30 * * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", 3), "hourly: the repeated 02:30 only once");
  }

  @Test
  void hourlyThroughTheSpringGapHasNoDuplicate() {
    assertEquals(List.of("2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"),
        next("30 * * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", 3));
  }

  @Test
  void utcByDefaultAndJitterParsed() {
    assertEquals(List.of("2026-01-01T02:00:00Z"), next("0 2 * * *", null, "2026-01-01T00:00:00Z", 1));
    assertEquals(Duration.ofMinutes(10), CronSchedule.of(new ScheduleSpec("0 2 * * *", null, "10m")).jitter());
  }

  @Test
  void refusesNicknamesSixFieldsBadZonesAndNegativeJitter() {
    String daily = assertThrows(IllegalArgumentException.class, () -> CronSchedule.cron("@daily")).getMessage();
    assertTrue(daily.contains("nicknames"), daily);
    // @daily is midnight: the hint says so, and suggests another hour only as spelled out.
    assertTrue(daily.contains("@daily is \"0 0 * * *\""), daily);
    assertEquals(List.of("2026-01-02T00:00:00Z"), next("0 0 * * *", "UTC", "2026-01-01T12:00:00Z", 1));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.cron("0 0 2 * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.cron("0 24 * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.zone("Europe/Atlantis"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.jitter("-PT5M"));
  }
}
