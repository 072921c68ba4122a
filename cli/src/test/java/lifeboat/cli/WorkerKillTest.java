package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static lifeboat.cli.testing.KillPoints.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The durability promise: a worker SIGKILLed in the middle of streaming a dump into the repository loses
 * nothing but time. The server notices the missing heartbeats, a new worker retries the dump from scratch,
 * and what remains is one verified, restorable backup and no partial file. On both servers: the in-memory one,
 * where workers run without sticky execution, and a real dev server, where they run with it.
 */
class WorkerKillTest {
  private static final long ROWS = 2_000_000;
  private static final long KILL_AT_BYTES = 20L << 20;

  @ParameterizedTest
  @EnumSource(LocalStack.Server.class)
  void aWorkerKilledMidDumpIsReplacedAndTheBackupCompletesOnce(LocalStack.Server server) throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(server)) {
      pg.createDatabase("big");
      // md5 text: hex digits, which zstd only halves, so the stored stream stays large and takes seconds.
      pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text, c text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text), md5((g * 7)::text)"
          + " FROM generate_series(1, " + ROWS + ") g;");
      long tableBytes = Long.parseLong(pg.exec("big", "SELECT pg_table_size('big')"));
      assertTrue(tableBytes > 150L << 20, "table is only " + tableBytes + " bytes");
      pg.createDatabase("fresh");
      home.postgres("big", pg.url("big"), pg.password()).writeConfig();
      Path targetPassword = home.writeSecret("target-password", pg.password());
      WorkflowClient client = stack.client();

      String id;
      long killedAt;
      CliProcess first = startWorker(stack, home);
      CliProcess second = null;
      try {
        id = WorkflowRuns.startBackup(client, "big");
        killedAt = awaitPartialOver(home, KILL_AT_BYTES, first);
        long pid = first.process().pid();
        first.kill();
        assertFalse(first.process().isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " is gone");
        assertFalse(home.repositoryFiles(".partial-").isEmpty(), "the killed attempt left its partial file");
        assertTrue(home.repositoryFiles("manifest.json").isEmpty(), "no backup exists yet");

        second = startWorker(stack, home);
        BackupResult result = resultOrHistory(client, id, BackupResult.class, Duration.ofMinutes(4), second);
        System.out.printf("table %d bytes; killed at %d stored bytes; backup %d raw, %d stored, %d ms%n",
            tableBytes, killedAt, result.rawBytes(), result.storedBytes(), result.durationMillis());
        assertTrue(result.verified(), "verified");
        assertTrue(result.storedBytes() > 2 * killedAt,
            "the kill came mid-stream: " + killedAt + " of " + result.storedBytes() + " bytes");

        List<Path> manifests = home.repositoryFiles("manifest.json");
        assertEquals(1, manifests.size(), "one backup: " + manifests);
        assertTrue(manifests.get(0).startsWith(home.repository().resolve("backups/big")), manifests.toString());
        JsonNode manifest = new ObjectMapper().readTree(manifests.get(0).toFile());
        assertTrue(manifest.get("verified").asBoolean(), manifest.toString());
        assertEquals(result.backupId(), manifest.get("backupId").asText());
        assertEquals(List.of(), home.repositoryFiles(".partial-"), "no partial file anywhere");
        assertEquals(1, backupFolders(home.repository().resolve("backups/big")), "one backup folder");

        assertDumpRanTwiceAfterAHeartbeatTimeout(client, id, second.process().pid());

        String restore = WorkflowRuns.startRestore(client, "big", pg.url("fresh"), "file:" + targetPassword);
        WorkflowRuns.restoreResult(client, restore, Duration.ofMinutes(5));
        assertEquals(String.valueOf(ROWS), pg.exec("fresh", "SELECT count(*) FROM big"));
        assertEquals(pg.exec("big", "SELECT md5(string_agg(a, '' ORDER BY id)) FROM big WHERE id % 1000 = 0"),
            pg.exec("fresh", "SELECT md5(string_agg(a, '' ORDER BY id)) FROM big WHERE id % 1000 = 0"));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /**
   * A drill whose worker is SIGKILLed while pg_restore fills the throwaway cluster: the replacement worker
   * restores again over what the first attempt left, the drill passes, and the cluster is torn down exactly
   * once, at the end.
   */
  @ParameterizedTest
  @EnumSource(LocalStack.Server.class)
  void aWorkerKilledMidRestoreFinishesTheDrillAndTearsDownOnce(LocalStack.Server server) throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(server)) {
      pg.createDatabase("big");
      pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text) FROM generate_series(1, 1000000) g;");
      home.postgres("big", pg.url("big"), pg.password()).writeConfig();
      WorkflowClient client = stack.client();
      CliProcess first = startWorker(stack, home);
      CliProcess second = null;
      try {
        WorkflowRuns.backupResult(client, WorkflowRuns.startBackup(client, "big"), Duration.ofMinutes(4));
        Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "big-drill", "big", null, null, null,
            new RestoreSpec("latest", null, "cluster", null, null, 1, true, "30m"), null,
            List.of(new SmokeCheck("every row", "SELECT count(*) FROM big", "= 1000000", null)), null, null);
        String id = WorkflowRuns.startDrill(client, runbook);
        awaitRestoredOver(client, id, 20L << 20, first);
        first.kill();
        assertFalse(first.process().isAlive());
        second = startWorker(stack, home);
        DrillReport report = resultOrHistory(client, id, DrillReport.class, Duration.ofMinutes(5), second);
        assertTrue(report.success(), report.toString());
        assertEquals("1000000", report.smoke().get(0).actual());
        List<HistoryEvent> events = client.fetchHistory(id).getEvents();
        assertEquals(1, completed(events, "TeardownThrowawayTarget"), "torn down exactly once");
        assertEquals(1, completed(events, "RestoreIntoTarget"));
        assertEquals(2, events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
            .filter(e -> activityType(events, e.getActivityTaskStartedEventAttributes().getScheduledEventId())
                .equals("RestoreIntoTarget"))
            .findFirst().orElseThrow().getActivityTaskStartedEventAttributes().getAttempt(),
            "the restore completed on its second attempt");
        assertClusterGone(client, id);
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /**
   * A worker SIGKILLed inside a short step, one that cannot report progress: the smoke checks, held in one
   * 10 s query on the throwaway cluster. The worker heartbeats for such a step, so the server notices the dead
   * worker within the 30 s heartbeat timeout and the replacement runs the checks again; before, the step sat
   * until its 30 min start-to-close timeout (docs/reliability.md). On the real server, where it was found.
   */
  @org.junit.jupiter.api.Test
  void aWorkerKilledInsideAShortStepIsReplacedWithinItsHeartbeatTimeout() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      pg.createDatabase("small");
      pg.exec("small", "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100);");
      home.postgres("small", pg.url("small"), pg.password()).writeConfig();
      WorkflowClient client = stack.client();
      CliProcess first = startWorker(stack, home);
      CliProcess second = null;
      try {
        WorkflowRuns.backupResult(client, WorkflowRuns.startBackup(client, "small"), Duration.ofMinutes(2));
        Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "small-drill", "small", null, null, null,
            new RestoreSpec("latest", null, "cluster", null, null, 1, true, "30m"), null,
            List.of(new SmokeCheck("slow count", "SELECT count(*) FROM t, pg_sleep(10)", "= 100", null)), null,
            null);
        String id = WorkflowRuns.startDrill(client, runbook);
        awaitQueryRunning(client, id, "pg_sleep(10)", first);
        first.kill();
        assertFalse(first.process().isAlive());
        second = startWorker(stack, home);
        // Well past the 30 s heartbeat timeout plus a second 10 s check; far short of the 30 min it took.
        DrillReport report = resultOrHistory(client, id, DrillReport.class, Duration.ofMinutes(3), second);
        assertTrue(report.success(), report.toString());
        assertEquals("100", report.smoke().get(0).actual());
        List<HistoryEvent> events = client.fetchHistory(id).getEvents();
        HistoryEvent started = events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
            .filter(e -> activityType(events, e.getActivityTaskStartedEventAttributes().getScheduledEventId())
                .equals("RunSmokeChecks"))
            .findFirst().orElseThrow();
        var attempt = started.getActivityTaskStartedEventAttributes();
        assertEquals(2, attempt.getAttempt(), "the checks completed on their second attempt");
        assertTrue(attempt.getIdentity().startsWith(second.process().pid() + "@"),
            "the replacement worker ran them: " + attempt);
        assertTrue(attempt.getLastFailure().hasTimeoutFailureInfo(), "after a timeout: " + attempt);
        assertEquals(io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
            attempt.getLastFailure().getTimeoutFailureInfo().getTimeoutType(), attempt.toString());
        assertEquals(1, completed(events, "TeardownThrowawayTarget"), "torn down exactly once");
        assertClusterGone(client, id);
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /**
   * A worker SIGKILLed in the middle of a base backup's stream: the replacement takes it again from the start,
   * and what remains is one verified base backup, checked against PostgreSQL's manifest, and no partial object.
   */
  @org.junit.jupiter.api.Test
  void aWorkerKilledMidBaseBackupIsReplacedAndTheBaseBackupCompletesOnce() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      pg.createDatabase("big");
      pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text) FROM generate_series(1, 1000000) g;");
      home.postgres("big", pg.url("big"), pg.password()).writeConfig();
      WorkflowClient client = stack.client();
      CliProcess first = startWorker(stack, home);
      CliProcess second = null;
      try {
        String id = WorkflowRuns.startBaseBackup(client, "big");
        long killedAt = awaitPartialOver(home, KILL_AT_BYTES, first);
        first.kill();
        assertFalse(first.process().isAlive());
        second = startWorker(stack, home);
        BackupResult result = resultOrHistory(client, id, BackupResult.class, Duration.ofMinutes(4), second);
        assertTrue(result.verified(), result.toString());
        assertTrue(result.verification().contains("files match PostgreSQL's backup_manifest"), result.verification());
        assertTrue(result.storedBytes() > 2 * killedAt, "the kill came mid-stream: " + killedAt + " of "
            + result.storedBytes());
        assertEquals(1, home.repositoryFiles("manifest.json").size(), "one backup");
        assertEquals(List.of(), home.repositoryFiles(".partial-"), "no partial object anywhere");
        List<HistoryEvent> events = client.fetchHistory(id).getEvents();
        assertEquals(1, completed(events, "BaseBackupToRepository"));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /**
   * A worker SIGKILLed while it archives WAL, with more WAL written while no worker runs: the replacement
   * streams again from the slot, and the archive holds every segment from the first to the last, with no gap,
   * through the last write. On the real server.
   */
  @org.junit.jupiter.api.Test
  void aWorkerKilledWhileArchivingLeavesNoGapInTheArchive() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
      home.postgresWithWal("app", pg.url("app"), pg.password(), "{ archive: stream, partialEvery: 1s }")
          .writeConfig();
      CliProcess first = startWorker(stack, home);
      CliProcess second = null;
      try {
        lifeboat.cli.testing.CliResult started = lifeboat.cli.testing.InProcessCli.run("wal", "start", "app",
            "--address", stack.address(), "--config", home.config().toString());
        assertEquals(lifeboat.cli.ExitCodes.OK, started.exit(), started.toString());
        for (int i = 0; i < 3; i++) {
          pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 5000) g;"
              + " SELECT pg_switch_wal();");
        }
        awaitArchived(stack, home, pg.exec("app", "SELECT pg_current_wal_lsn()"), first);
        // Mid-segment: received, not yet stored whole, when the worker dies.
        pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 5000) g");
        first.kill();
        assertFalse(first.process().isAlive());
        for (int i = 0; i < 2; i++) {
          pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 5000) g;"
              + " SELECT pg_switch_wal();");
        }
        pg.exec("app", "INSERT INTO t(note) VALUES ('the last write')");
        String last = pg.exec("app", "SELECT pg_current_wal_lsn()");
        second = startWorker(stack, home);
        JsonNode archive = awaitArchived(stack, home, last, second);
        assertEquals(0, archive.get("gaps").size(), archive.toPrettyString());
        long firstNumber = Long.parseLong(archive.get("firstSegment").asText().substring(8), 16);
        long newest = Long.parseLong(archive.get("newestSegment").asText().substring(8), 16);
        assertEquals(newest - firstNumber + 1, archive.get("segments").asLong(), "every segment from the first to"
            + " the newest: " + archive.toPrettyString());
        assertTrue(archive.get("segments").asLong() >= 5, archive.toPrettyString());
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** Polls the drill's throwaway cluster until a query containing {@code text} runs on it. */
  private static void awaitQueryRunning(WorkflowClient client, String id, String text, CliProcess worker)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      String url = createdTargetUrl(client, id);
      if (url != null) {
        try (var c = java.sql.DriverManager.getConnection(url.replace("postgresql://postgres@",
                 "jdbc:postgresql://") + "?user=postgres");
             var st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                 + " AND pid <> pg_backend_pid() AND strpos(query, ?) > 0")) {
          st.setString(1, text);
          try (var rs = st.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              return;
            }
          }
        } catch (java.sql.SQLException e) {
          // the cluster is starting
        }
      }
      assertFalse(WorkflowRuns.isClosed(client, id), "the drill finished before the kill");
      assertTrue(worker.process().isAlive(), "worker died:\n" + worker.output());
      Thread.sleep(100);
    }
    throw new AssertionError("no query with " + text + " ever ran for " + id + "\n" + worker.output());
  }

  private static CliProcess startWorker(LocalStack stack, LifeboatHome home) {
    return Workers.start(stack, home);
  }
}
