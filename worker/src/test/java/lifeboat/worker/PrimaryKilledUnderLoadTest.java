package lifeboat.worker;

import static lifeboat.worker.PitrRuns.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary SIGKILLed while a client writes numbered rows, one commit each, and the archive streams; then a
 * restore of the latest moment (the end of the archive) into a new cluster. The data lost is what the archive
 * says it lacks: every row whose commit lies within the archivedLsn it recorded after the kill is there, none
 * after it, and no row acknowledged before the lag was measured is lost (the stream stores what it received
 * when it breaks). About the primary dying, not the worker: the archive and the restore run in this JVM, on the
 * in-memory Temporal server.
 */
class PrimaryKilledUnderLoadTest {
  /** About 1 KB of hex per row, which no compression undoes: WAL at megabytes a second, segments filling. */
  private static final String INSERT = "INSERT INTO acked(id, pad) SELECT ?, string_agg(md5(random()::text), '')"
      + " FROM generate_series(1, 32) RETURNING pg_current_wal_insert_lsn()::text";

  @TempDir Path home;

  @Test
  void theRowsLostAreExactlyThoseAfterWhatTheArchiveSaysItStored() throws Exception {
    Path restores = PitrRuns.restoresFolder();
    Path target = restores.resolve("latest");
    try (PgCluster pg = PgCluster.start(); TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        io.temporal.testing.TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE acked(id int PRIMARY KEY, pad text)");
      TestRepositoryHome repo = new TestRepositoryHome(home, SharedKeys.get())
          .postgresWithWal("app", pg, "app", "lifeboat_kill_test");
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(repo.config()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      WorkflowClient.start(client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-app"))::archive,
          "app");
      client.newWorkflowStub(BackupWorkflow.class, options("base-app"))
          .backup(new BackupRequest("app", null, null, BackupRequest.BASE));

      Writer writer = new Writer(pg);
      Thread writing = new Thread(writer, "numbered-rows");
      writing.start();
      Thread.sleep(4000);
      int ackedBeforeStatus = writer.acked.get();
      WalStatus before = PitrRuns.status(client, "app");
      // The server sends what it has flushed within milliseconds: by the kill the stream has what `before` saw.
      Thread.sleep(500);
      pg.killPostmaster();
      writing.join(10_000);
      assertFalse(writing.isAlive(), "the writer stopped with its server");
      WalStatus after = settled(client);
      long archived = WalNames.parseLsn(after.archivedLsn());

      PitrResult result = PitrRuns.restore(client, "pitr-latest", new PitrRequest("app", null, null, null, false,
          target.toString(), LocalCluster.freePort()));
      List<Integer> restored = new ArrayList<>();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + result.port() + "/app",
          "postgres", pg.password()); ResultSet rs = c.createStatement().executeQuery(
              "SELECT id, pg_is_in_recovery() FROM acked ORDER BY id")) {
        while (rs.next()) {
          restored.add(rs.getInt(1));
          assertFalse(rs.getBoolean(2), "promoted");
        }
      }
      int last = restored.isEmpty() ? 0 : restored.get(restored.size() - 1);
      int acked = writer.acked.get();
      System.out.printf("before the kill: archived %s, server %s, lag %d bytes, %d s; %d rows acknowledged by"
          + " then%nafter: archived %s (%d bytes past the server's position then); %d rows acknowledged, %d"
          + " restored, %d lost; the restore replayed to %s%n", before.archivedLsn(), before.serverLsn(),
          before.lagBytes(), before.lagSeconds(), ackedBeforeStatus, after.archivedLsn(),
          archived - WalNames.parseLsn(before.serverLsn()), acked, restored.size(), acked - last,
          result.outcome().replayedLsn());

      assertEquals(0, after.gaps().size(), after.toString());
      assertTrue(WalNames.parseLsn(result.outcome().replayedLsn()) <= archived,
          "the restore replayed no WAL the archive does not have: " + result.outcome());
      for (int i = 0; i < restored.size(); i++) {
        assertEquals(i + 1, restored.get(i), "the rows restored are 1.." + last + ", no hole");
      }
      // Row i's commit record lies after the LSN read inside its transaction and before the one read inside i+1's.
      for (int i = 1; i <= writer.attempted.get(); i++) {
        Long at = writer.lsnBeforeCommit.get(i);
        Long next = writer.lsnBeforeCommit.get(i + 1);
        if (next != null && next <= archived) {
          assertTrue(i <= last, "row " + i + " committed before " + WalNames.lsn(next) + ", within the archive's "
              + after.archivedLsn() + ", is restored");
        }
        if (at != null && at >= archived) {
          assertTrue(i > last, "row " + i + " committed after " + after.archivedLsn() + " is not restored");
        }
      }
      assertTrue(archived >= WalNames.parseLsn(before.serverLsn()), "the lag measured before the kill was stored"
          + " when the stream broke: " + before + " then " + after);
      assertTrue(last >= ackedBeforeStatus, "no row acknowledged before the lag was measured is lost: "
          + ackedBeforeStatus + " then, " + last + " restored");
      assertTrue(last <= writer.attempted.get(), "nothing restored that was never written");
      // The archive's stream retries against a dead server for as long as it takes: a graceful close waits.
      env.getWorkerFactory().shutdownNow();
    } finally {
      PitrRuns.stopRestored(target);
      LocalCluster.deleteTree(restores);
    }
  }

  /** The archive's status once the broken stream has stored what it received: unchanged for two seconds. */
  private static WalStatus settled(WorkflowClient client) throws InterruptedException {
    WalStatus last = PitrRuns.status(client, "app");
    for (int stable = 0; stable < 4; ) {
      Thread.sleep(500);
      WalStatus now = PitrRuns.status(client, "app");
      stable = java.util.Objects.equals(now.archivedLsn(), last.archivedLsn()) ? stable + 1 : 0;
      last = now;
    }
    return last;
  }

  /**
   * Rows 1, 2, 3... one transaction each, until the server dies: {@code acked} counts the commits the server
   * acknowledged; for each row, the WAL insert position read inside its transaction, before its commit record.
   */
  private static final class Writer implements Runnable {
    final AtomicInteger attempted = new AtomicInteger();
    final AtomicInteger acked = new AtomicInteger();
    final ConcurrentMap<Integer, Long> lsnBeforeCommit = new ConcurrentHashMap<>();
    private final PgCluster pg;

    Writer(PgCluster pg) {
      this.pg = pg;
    }

    @Override
    public void run() {
      try (Connection c = DriverManager.getConnection(pg.jdbc("app"), "postgres", pg.password());
           PreparedStatement insert = c.prepareStatement(INSERT)) {
        c.setAutoCommit(false);
        for (int id = 1; ; id++) {
          insert.setInt(1, id);
          attempted.set(id);
          try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            lsnBeforeCommit.put(id, WalNames.parseLsn(rs.getString(1)));
          }
          c.commit();
          acked.set(id);
        }
      } catch (SQLException serverGone) {
        // the kill: the last row is acknowledged or not, as the counters say
      }
    }
  }
}
