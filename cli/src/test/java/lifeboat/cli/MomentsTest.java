package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MomentsTest {
  @Test
  void aMomentIsReadInTheFormsPeopleCopyFromLogsAndAlwaysWithItsOffset() {
    Instant t = Instant.parse("2026-12-01T14:32:07Z");
    assertEquals(t, Moments.parse("2026-12-01T14:32:07Z", "--to-time"));
    assertEquals(t, Moments.parse("2026-12-01T16:32:07+02:00", "--to-time"));
    assertEquals(t, Moments.parse("2026-12-01 14:32:07+00", "--to-time"), "PostgreSQL's own form");
    assertEquals(t, Moments.parse("2026-12-01 15:32:07+01:00", "--to-time"));
    assertEquals(t.plusMillis(250), Moments.parse("2026-12-01 14:32:07.25+00", "--to-time"));
    IllegalArgumentException local = assertThrows(IllegalArgumentException.class,
        () -> Moments.parse("2026-12-01 14:32:07", "--to-time"));
    assertTrue(local.getMessage().contains("with an offset"), "a moment without a zone is refused, never guessed: "
        + local.getMessage());
  }
}
