package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RebuildSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rebuild whose stop of the old primary did not stop it must not touch its data directory: with method auto,
 * pg_rewind refuses a running target, and the fallback used to empty the directory under the live server.
 * Real running clusters; the old primary's stop is skipped (a stopCommand that exits 0 and does nothing) or
 * fails (pg_ctl run as an OS user who may not signal the server).
 */
class RebuildRunningServerTest {
  private static PgCluster old;
  private static PgCluster next;

  @BeforeAll
  static void start() {
    old = PgCluster.start();
    next = PgCluster.start();
    old.createDatabase("app");
    old.exec("app", "CREATE TABLE orders AS SELECT g AS id FROM generate_series(1, 100) g");
  }

  @AfterAll
  static void stop() {
    next.close();
    old.close();
  }

  @Test
  void aStopCommandThatDoesNotStopTheServerIsRefusedAndTheDataStays() {
    refusedAndUntouched(new RebuildSpec(RebuildSpec.AUTO, old.dataDir().toString(), "postgres", null, null,
        "true", null));
  }

  @Test
  void aFailedPgCtlStopIsRefusedAndTheDataStays() {
    // As root the tools run as osUser: "nobody" may neither read the data directory nor signal the server.
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root to run pg_ctl as another OS user");
    refusedAndUntouched(new RebuildSpec(RebuildSpec.AUTO, old.dataDir().toString(), "nobody", null, null, null,
        null));
  }

  private static void refusedAndUntouched(RebuildSpec rebuild) {
    FailoverActivitiesImpl steps = new FailoverActivitiesImpl(
        () -> new Secrets(Map.of("OLD_PW", old.password(), "NEW_PW", next.password()), Path.of("/")), Map.of(),
        new Route53Target());
    FailoverEndpoint oldEp = new FailoverEndpoint(old.url("app"), "env:OLD_PW");
    FailoverEndpoint newEp = new FailoverEndpoint(next.url("postgres"), "env:NEW_PW");
    FailoverSpec spec = new FailoverSpec(oldEp, newEp, null, null, null, null, rebuild, null);
    LifeboatException e = assertThrows(LifeboatException.class, () -> steps.rebuildWithoutHeartbeat(spec, newEp));
    assertEquals(ErrorCode.POSTMASTER_RUNNING, e.code(), e.userMessage());
    assertTrue(e.code().userFixable(), "never retried");
    assertTrue(e.userMessage().contains("is running on " + old.dataDir()) && e.userMessage().contains("HINT: stop it"),
        e.userMessage());
    assertTrue(Files.exists(old.dataDir().resolve("PG_VERSION")), "the data directory is intact");
    assertEquals("100", old.exec("app", "SELECT count(*) FROM orders"), "and the server still serves it");
  }
}
