package lifeboat.activities.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The file names the WAL receiver takes: the four kinds PostgreSQL's archiver sends, bare, and nothing else. */
class PushedNameTest {
  private static Optional<PushedName.Kind> kind(String name) {
    return PushedName.of(name).map(PushedName::kind);
  }

  @Test
  void theArchiversFourKindsAreTakenAndAnythingElseIsNot() {
    assertEquals(Optional.of(PushedName.Kind.SEGMENT), kind("000000010000000A000000FF"));
    assertEquals(Optional.of(PushedName.Kind.PARTIAL), kind("000000010000000000000003.partial"));
    assertEquals("000000010000000000000003", PushedName.of("000000010000000000000003.partial").get().segment());
    assertEquals(Optional.of(PushedName.Kind.HISTORY), kind("00000002.history"));
    assertEquals(Optional.of(PushedName.Kind.BACKUP), kind("000000010000000000000002.00000028.backup"));
    for (String bad : List.of("", "00000001000000000000000a", "000000010000000000000003.partial.x", "../00000002.history",
        "00000002.history/", "000000010000000000000002.0000028.backup", "000000010000000000000003 ", "archive.json",
        "000000010000000000000003.zst")) {
      assertEquals(Optional.empty(), kind(bad), bad);
    }
  }
}
