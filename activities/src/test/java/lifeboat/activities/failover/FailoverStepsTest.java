package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.failover.ProbeResult;
import lifeboat.workflows.failover.PromoteResult;
import lifeboat.workflows.failover.RebuildResult;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.failover.VerifyResult;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RebuildSpec;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;

/**
 * The failover steps in the order the workflow runs them, against real processes: a primary, its streaming
 * standby (pg_basebackup -R) and Debian's PgBouncer in front. The primary is killed (SIGKILL of the
 * postmaster); the standby is promoted, PgBouncer repointed, a client writes through it to the new primary,
 * and the old primary is rebuilt as a standby of the new one and receives that write.
 */
class FailoverStepsTest {

  @Test
  void primaryLostStandbyPromotedPgBouncerRepointedOldPrimaryRebuilt() throws Exception {
    try (PgCluster primary = PgCluster.start()) {
      primary.createDatabase("app");
      primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY, what text)");
      primary.exec("app", "INSERT INTO items VALUES (1, 'before the failover')");
      try (PgCluster standby = PgCluster.startStandbyOf(primary); PgBouncer bouncer = PgBouncer.startFor(primary)) {
        FailoverActivitiesImpl steps = new FailoverActivitiesImpl(() -> new Secrets(Map.of(
            "PG_PW", primary.password(), "PGB_ADMIN_PW", bouncer.adminPassword()), Path.of("/")), Map.of(), new Route53Target());
        FailoverEndpoint primaryEp = new FailoverEndpoint(primary.url("app"), "env:PG_PW");
        FailoverEndpoint standbyEp = new FailoverEndpoint(standby.url("app"), "env:PG_PW");
        Path socketDir = primary.dataDir().getParent().resolve("sock");
        FailoverSpec spec = new FailoverSpec(primaryEp, standbyEp, null,
            RepointSpec.pgbouncer(bouncer.iniFile().toString(), "app",
                new FailoverEndpoint(bouncer.adminUrl(), "env:PGB_ADMIN_PW")),
            null, null, new RebuildSpec(RebuildSpec.AUTO, primary.dataDir().toString(), "postgres", null,
            "-k " + socketDir + " -c listen_addresses=127.0.0.1", null, null), "30s");

        // probes of the healthy pair
        ProbeResult p = steps.probeServer(primaryEp, "3s");
        assertTrue(p.reachable(), p.toString());
        assertEquals(false, p.inRecovery());
        assertEquals(1L, p.timelineId());
        assertNotNull(p.currentLsn());
        ProbeResult s = awaitStreaming(steps, standbyEp);
        assertEquals(true, s.inRecovery());
        assertNotNull(s.receiveLsn(), s.toString());
        assertNotNull(s.replayLsn());
        assertTrue(s.replayLagBytes() != null && s.replayLagBytes() >= 0, s.toString());
        assertEquals(1L, s.timelineId());
        assertNull(s.error());

        // the primary dies
        primary.killPostmaster();
        ProbeResult gone = steps.probeServer(primaryEp, "2s");
        assertFalse(gone.reachable());
        assertNull(gone.inRecovery());
        assertNotNull(gone.error());
        assertFalse(gone.error().contains(primary.password()), gone.error());

        // promote, twice
        PromoteResult promoted = steps.promoteStandby(standbyEp, "30s");
        assertTrue(promoted.promoted(), promoted.toString());
        assertFalse(promoted.alreadyPrimary());
        assertEquals(2L, promoted.timelineId());
        PromoteResult again = steps.promoteStandby(standbyEp, "30s");
        assertFalse(again.promoted());
        assertTrue(again.alreadyPrimary(), again.message());
        ProbeResult newPrimary = steps.probeServer(standbyEp, "3s");
        assertEquals(false, newPrimary.inRecovery());

        // repoint PgBouncer, twice: the rest of the ini is untouched
        String iniBefore = Files.readString(bouncer.iniFile());
        RepointResult repointed = steps.repoint(spec, standbyEp);
        assertTrue(repointed.changed());
        assertEquals("host=127.0.0.1 port=" + primary.port() + " dbname=app", repointed.previous());
        assertEquals("host=127.0.0.1 port=" + standby.port() + " dbname=app", repointed.current());
        assertEquals(iniBefore.replace("app = host=127.0.0.1 port=" + primary.port(),
            "app = host=127.0.0.1 port=" + standby.port()), Files.readString(bouncer.iniFile()));
        assertTrue(bouncer.databaseRow("app").startsWith("app|127.0.0.1|" + standby.port() + "|"),
            bouncer.databaseRow("app"));
        RepointResult twice = steps.repoint(spec, standbyEp);
        assertFalse(twice.changed());
        assertEquals(repointed.current(), twice.current());

        // the application's path: a write through PgBouncer lands on the new primary
        VerifyResult verified = steps.verifyThroughApplicationPath(spec);
        assertTrue(verified.serverAddress().endsWith(":" + standby.port()), verified.toString());
        assertTrue(verified.totalMillis() >= verified.writeMillis());
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", primary.password());
        try (Connection c = DriverManager.getConnection(bouncer.jdbc(), props)) {
          c.createStatement().execute("INSERT INTO items VALUES (2, 'after the failover')");
        }
        assertEquals("2", standby.exec("app", "SELECT count(*) FROM items"));
        assertEquals("0", standby.exec("app", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'lifeboat_failover_probe%'"),
            "the verification's probe table is dropped");

        // the old primary becomes a standby of the new one (the test clusters lack wal_log_hints: pg_rewind
        // refuses, and auto falls back to pg_basebackup)
        RebuildResult rebuilt = steps.rebuildWithoutHeartbeat(spec, standbyEp);
        assertEquals("pg_basebackup", rebuilt.method(), rebuilt.toString());
        assertNotNull(rebuilt.rewindRefused());
        assertTrue(rebuilt.inRecovery());
        ProbeResult old = steps.probeServer(primaryEp, "3s");
        assertEquals(true, old.inRecovery(), old.toString());
        assertEquals("after the failover", primary.exec("app", "SELECT what FROM items WHERE id = 2"));
      }
    }
  }

  private static ProbeResult awaitStreaming(FailoverActivitiesImpl steps, FailoverEndpoint standby)
      throws InterruptedException {
    ProbeResult s = null;
    for (int i = 0; i < 100; i++) {
      s = steps.probeServer(standby, "3s");
      if ("streaming".equals(s.walReceiverStatus())) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("standby never streams: " + s);
  }
}
