package lifeboat.activities.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;

/** ToolProcess with plain shell commands. */
class ToolProcessTest {

  private static ToolProcess sh(String script) {
    return ToolProcess.start(new ProcessBuilder("sh", "-c", script), "install sh");
  }

  @Test
  void missingBinaryIsToolMissing() {
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> ToolProcess.start(new ProcessBuilder("/nonexistent/pg_dump"), "apt-get install postgresql-client"));
    assertEquals(ErrorCode.TOOL_MISSING, e.code());
    assertEquals("apt-get install postgresql-client", e.hint());
  }

  @Test
  void stderrTailIsBoundedAndKeepsTheEnd() {
    try (ToolProcess p = sh("i=0; while [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 3")) {
      assertEquals(3, p.waitFor());
      assertTrue(p.stderrTail().length() <= ToolProcess.STDERR_TAIL_BYTES);
      assertTrue(p.stderrTail().endsWith("line 1999"), p.stderrTail());
      assertTrue(p.failureSummary(3).startsWith("sh exited with status 3: "));
    }
  }

  @Test
  void deathBySignalIsReported() {
    try (ToolProcess p = sh("kill -9 $$")) {
      int code = p.waitFor();
      assertEquals("was killed by signal 9", ToolProcess.describeExit(code));
    }
  }

  @Test
  void feedSurvivesAToolThatStopsReading() throws IOException {
    try (ToolProcess p = sh("head -c 10 >/dev/null")) {
      ToolProcess.feed(new ByteArrayInputStream(new byte[10_000_000]), p);
      assertEquals(0, p.waitFor());
    }
  }
}
