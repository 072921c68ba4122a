package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.failover.RebuildResult;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RebuildSpec;
import org.junit.jupiter.api.Test;

/**
 * pg_rewind's path: clusters with wal_log_hints and full_page_writes on. The old primary crashes after a write
 * the standby never received; after the promotion the rewind throws that write away and the old primary
 * follows the new one.
 */
class RebuildWithRewindTest {

  @Test
  void theOldPrimaryIsRewoundAndFollowsTheNewOne() {
    try (PgCluster primary = PgCluster.startLocal("-c wal_log_hints=on -c full_page_writes=on")) {
      primary.createDatabase("app");
      // also in the data directory's config: pg_rewind first runs crash recovery of the killed old primary in
      // single-user mode, which reads only the config files and would record wal_log_hints = off again
      primary.exec("postgres", "ALTER SYSTEM SET wal_log_hints = on");
      primary.exec("postgres", "ALTER SYSTEM SET wal_keep_size = '256MB'");
      primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY, what text)");
      try (PgCluster standby = PgCluster.startStandbyOf(primary)) {
        FailoverActivitiesImpl steps = new FailoverActivitiesImpl(
            () -> new Secrets(Map.of("PG_PW", primary.password()), Path.of("/")), Map.of(), new Route53Target());
        FailoverEndpoint primaryEp = new FailoverEndpoint(primary.url("app"), "env:PG_PW");
        FailoverEndpoint standbyEp = new FailoverEndpoint(standby.url("app"), "env:PG_PW");
        // the standby stops receiving, the old primary takes one more write, then crashes
        standby.exec("postgres", "ALTER SYSTEM SET primary_conninfo = ''");
        standby.exec("postgres", "SELECT pg_reload_conf()");
        standby.exec("postgres", "SELECT pg_sleep(1)");
        primary.exec("app", "INSERT INTO items VALUES (99, 'divergent')");
        primary.killPostmaster();
        steps.promoteStandby(standbyEp, "30s");
        standby.exec("postgres", "ALTER SYSTEM RESET primary_conninfo");
        standby.exec("app", "INSERT INTO items VALUES (1, 'on the new timeline')");

        Path socketDir = primary.dataDir().getParent().resolve("sock");
        FailoverSpec spec = new FailoverSpec(primaryEp, standbyEp, null, null, null, null,
            new RebuildSpec(RebuildSpec.AUTO, primary.dataDir().toString(), "postgres", null,
                "-k " + socketDir + " -c listen_addresses=127.0.0.1", null, null), null);
        RebuildResult rebuilt = steps.rebuildWithoutHeartbeat(spec, standbyEp);
        assertEquals("pg_rewind", rebuilt.method(), rebuilt.toString());
        assertNull(rebuilt.rewindRefused());
        assertTrue(rebuilt.inRecovery());
        awaitRow(primary);
        assertEquals("0", primary.exec("app", "SELECT count(*) FROM items WHERE id = 99"), "divergent write gone");
      }
    }
  }

  private static void awaitRow(PgCluster rebuilt) {
    for (int i = 0; i < 100; i++) {
      if ("1".equals(rebuilt.exec("app", "SELECT count(*) FROM items WHERE id = 1"))) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the rebuilt server never received the new primary's write");
  }
}
