package lifeboat.workflows.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackupIdsTest {

  @Test
  void idsOfTheSameSecondSortByTimeWhateverTheirSuffix() {
    Instant t = Instant.parse("2026-11-26T06:43:26.100Z");
    // The suffix of the earlier id sorts after the later one's: only the milliseconds can order them.
    String earlier = BackupIds.newId(t.toEpochMilli(), UUID.fromString("ffffffff-0000-0000-0000-000000000000"));
    String later = BackupIds.newId(t.plusMillis(1).toEpochMilli(), UUID.fromString("00000000-0000-0000-0000-000000000000"));
    assertEquals("20261126T064326.100Z-ffff", earlier);
    assertTrue(later.compareTo(earlier) > 0, later + " sorts after " + earlier);
  }

  @Test
  void startedAtReadsBothStampsAndRefusesOtherNames() {
    assertEquals(Optional.of(Instant.parse("2026-11-26T06:43:26.100Z")), BackupIds.startedAt("20261126T064326.100Z-ffff"));
    assertEquals(Optional.of(Instant.parse("2026-11-26T06:43:26Z")), BackupIds.startedAt("20261126T064326Z-3b85"));
    assertEquals(Optional.empty(), BackupIds.startedAt("not-a-backup"));
  }
}
