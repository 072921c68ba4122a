package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.failover.FenceResult;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.FenceSpec;
import org.junit.jupiter.api.Test;

/** Fencing a real server: a reachable one refuses writes afterwards, an unreachable one is reported, not fenced. */
class FenceOldPrimaryTest {

  @Test
  void aReachableOldPrimaryRefusesWritesAndItsOpenSessionsAreEnded() throws Exception {
    try (PgCluster pg = PgCluster.start()) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE t(v int)");
      FailoverActivitiesImpl steps = steps(pg);
      try (Connection open = connect(pg)) {
        open.createStatement().execute("INSERT INTO t VALUES (1)");
        FenceResult fenced = steps.fenceOldPrimary(spec(pg, new FenceSpec(true, "echo fenced by $USER-less sh",
            "10s")));
        assertTrue(fenced.reachable());
        assertTrue(fenced.readOnly(), fenced.toString());
        assertTrue(fenced.sessionsEnded() >= 1, fenced.toString());
        assertEquals(1L, fenced.timelineId());
        assertEquals(false, fenced.inRecovery());
        assertEquals(0, fenced.commandExitCode());
        assertTrue(fenced.commandOutput().contains("fenced by"), fenced.commandOutput());
        assertTrue(fenced.fenced());
        assertThrows(SQLException.class, () -> open.createStatement().execute("INSERT INTO t VALUES (2)"),
            "the session open before the fence is gone");
      }
      try (Connection fresh = connect(pg)) {
        SQLException refused = assertThrows(SQLException.class,
            () -> fresh.createStatement().execute("INSERT INTO t VALUES (3)"));
        assertEquals("25006", refused.getSQLState(), refused.getMessage()); // read_only_sql_transaction
      }
      assertEquals("1", pg.exec("app", "SELECT count(*) FROM t"));
      // the application path must not accept a fenced server as the new primary
      ApplicationFailure failure = assertThrows(ApplicationFailure.class,
          () -> steps.verifyThroughApplicationPath(new FailoverSpec(null, endpoint(pg), null, null, endpoint(pg),
              null, null, null)));
      assertEquals("FAILOVER_VERIFY_FAILED", failure.getType());
      // fencing again finds it fenced and says so the same way
      FenceResult again = steps.fenceOldPrimary(spec(pg, null));
      assertTrue(again.readOnly());
      assertNull(again.commandExitCode());
    }
  }

  @Test
  void anUnreachableOldPrimaryIsReportedAndOnlyTheCommandRuns() {
    try (PgCluster pg = PgCluster.start()) {
      pg.stopServer();
      FenceResult result = steps(pg).fenceOldPrimary(spec(pg, new FenceSpec(true, "echo no route; exit 3", "10s")));
      assertFalse(result.reachable());
      assertFalse(result.readOnly());
      assertNull(result.timelineId());
      assertEquals(3, result.commandExitCode());
      assertFalse(result.fenced(), result.message());
      assertTrue(result.message().contains("unreachable, not fenced"), result.message());
    }
  }

  private static FailoverActivitiesImpl steps(PgCluster pg) {
    return new FailoverActivitiesImpl(() -> new Secrets(Map.of("PG_PW", pg.password()), Path.of("/")),
        Map.of("PATH", "/usr/bin:/bin"), new Route53Target());
  }

  private static FailoverEndpoint endpoint(PgCluster pg) {
    return new FailoverEndpoint(pg.url("app"), "env:PG_PW");
  }

  private static FailoverSpec spec(PgCluster pg, FenceSpec fence) {
    return new FailoverSpec(endpoint(pg), null, null, null, null, fence, null, null);
  }

  private static Connection connect(PgCluster pg) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", pg.password());
    return DriverManager.getConnection(pg.jdbc("app"), props);
  }
}
