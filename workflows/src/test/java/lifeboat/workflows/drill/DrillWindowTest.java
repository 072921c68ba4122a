package lifeboat.workflows.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import lifeboat.workflows.model.BackupManifest;
import org.junit.jupiter.api.Test;

class DrillWindowTest {
  private static final Instant NOW = Instant.parse("2026-03-01T05:00:00Z");

  @Test
  void previousMonthIsTheWholeCalendarMonthBefore() {
    Instant[] b = DrillWindow.bounds("previous-month", NOW);
    assertEquals(Instant.parse("2026-02-01T00:00:00Z"), b[0]);
    assertEquals(Instant.parse("2026-03-01T00:00:00Z"), b[1]);
    Instant[] january = DrillWindow.bounds(null, Instant.parse("2026-01-15T00:00:00Z"));
    assertEquals(Instant.parse("2025-12-01T00:00:00Z"), january[0], "across the year boundary");
  }

  @Test
  void aDurationReachesBackFromNow() {
    Instant[] b = DrillWindow.bounds("7d", NOW);
    assertEquals(Instant.parse("2026-02-22T05:00:00Z"), b[0]);
    assertEquals(NOW, b[1]);
    assertThrows(IllegalArgumentException.class, () -> DrillWindow.validate("last month"));
  }

  @Test
  void picksOnlyWithinTheWindowAndTheSameForTheSameSeed() {
    List<BackupManifest> candidates = List.of(taken("2026-03-01T01:00:00Z"), taken("2026-02-28T01:00:00Z"),
        taken("2026-02-14T01:00:00Z"), taken("2026-02-01T00:00:00Z"), taken("2026-01-31T23:59:59Z"));
    Set<String> picked = new HashSet<>();
    for (int seed = 0; seed < 50; seed++) {
      BackupManifest m = DrillWindow.pick(candidates, "previous-month", NOW, new Random(seed));
      picked.add(m.startedAt());
      assertEquals(m, DrillWindow.pick(candidates, "previous-month", NOW, new Random(seed)), "deterministic");
    }
    assertEquals(Set.of("2026-02-28T01:00:00Z", "2026-02-14T01:00:00Z", "2026-02-01T00:00:00Z"), picked);
    assertNull(DrillWindow.pick(candidates.subList(0, 1), "previous-month", NOW, new Random(1)));
    assertTrue(picked.size() > 1, "random, not always the first");
  }

  private static BackupManifest taken(String startedAt) {
    return new BackupManifest(1, "id-" + startedAt, "app", "postgres", "15", "3", "local", "k", "l", startedAt,
        startedAt, 1, 1, "x", "zstd-1", "none", List.of(), true, "ok");
  }
}
