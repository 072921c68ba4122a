package lifeboat.cli;

import static lifeboat.cli.testing.KillPoints.activityType;
import static lifeboat.cli.testing.KillPoints.awaitArchived;
import static lifeboat.cli.testing.KillPoints.completed;
import static lifeboat.cli.testing.KillPoints.lastAttempt;
import static lifeboat.cli.testing.KillPoints.resultOrHistory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.pitr.PointInTimeRestoreWorkflow;
import org.junit.jupiter.api.Test;

/**
 * A restore to a moment whose worker is SIGKILLed twice, on the real Temporal server: once while it unpacks
 * the base backup into DIR (a half-unpacked DIR is left), once just after it started the server that recovers
 * (a server runs on DIR with no worker). Each replacement takes the step again: the unpack starts over, the
 * recovery finds its server running and waits for it. The result is the database at the moment, and nothing
 * half-done is left.
 */
class PitrWorkerKillTest {
  private static final long ROWS = 600_000;
  /** Bytes of DIR at which the first kill comes: a fraction of the unpacked cluster (about 100 MB). */
  private static final long KILL_AT_BYTES = 10L << 20;
  /** What a merge would keep: a file no base backup has. The unpack starts over, so it must be gone. */
  private static final String LEFTOVER = "left-by-the-killed-unpack";

  @Test
  void aWorkerKilledMidUnpackAndMidRecoveryIsReplacedAndTheRestoreIsTheDatabaseAtTheMoment() throws Exception {
    Path restores = Files.createTempDirectory(Path.of("/tmp"), "lb-pitr-kill-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path dir = restores.resolve("restored");
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      pg.createDatabase("app");
      home.postgresWithWal("app", pg.url("app"), pg.password(), "{ archive: stream, partialEvery: 1s }")
          .writeConfig();
      // md5 text, which zstd only halves: the unpack takes long enough to be killed in the middle. Loaded while
      // the first worker's JVM starts.
      CompletableFuture<String> loaded = CompletableFuture.supplyAsync(() -> pg.exec("app", "CREATE TABLE"
          + " big(id bigint PRIMARY KEY, a text, b text); INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text)"
          + " FROM generate_series(1, " + ROWS + ") g; CREATE TABLE events(id serial PRIMARY KEY, note text)"));
      WorkflowClient client = stack.client();
      CliProcess first = Workers.start(stack, home);
      CliProcess second = null;
      CliProcess third = null;
      try {
        loaded.join();
        var started = InProcessCli.run("wal", "start", "app", "--address", stack.address(), "--config",
            home.config().toString());
        assertEquals(ExitCodes.OK, started.exit(), started.toString());
        BackupResult base = WorkflowRuns.backupResult(client, WorkflowRuns.startBaseBackup(client, "app"),
            Duration.ofMinutes(3));
        pg.exec("app", "INSERT INTO events(note) VALUES ('before 1'); INSERT INTO events(note) VALUES ('before 2')");
        Thread.sleep(1100);
        Instant moment = Instant.now();
        Thread.sleep(1100);
        pg.exec("app", "INSERT INTO events(note) VALUES ('after 1'); INSERT INTO events(note) VALUES ('after 2')");
        awaitArchived(stack, home, pg.exec("app", "SELECT pg_current_wal_lsn()"), first);

        String id = WorkflowIds.next("pitr", "app");
        int port = LocalCluster.freePort();
        WorkflowClient.start(client.newWorkflowStub(PointInTimeRestoreWorkflow.class, Temporal.start(id))::restore,
            new PitrRequest("app", null, moment.toString(), null, false, dir.toString(), port));

        awaitKillPoint(client, id, first, "the unpack to pass " + KILL_AT_BYTES + " bytes",
            () -> bytesUnder(dir) > KILL_AT_BYTES);
        first.kill();
        long unpackedAtKill = bytesUnder(dir);
        assertTrue(unpackedAtKill < base.rawBytes() * 3 / 4, "killed mid-unpack: " + unpackedAtKill + " of "
            + base.rawBytes() + " bytes");
        Files.writeString(dir.resolve(LEFTOVER), "a merge would keep this");

        second = Workers.start(stack, home);
        CliProcess recovering = second;
        Path pidFile = dir.resolve("postmaster.pid");
        awaitKillPoint(client, id, second, "the recovering server to start",
            () -> Files.exists(pidFile) && completed(client.fetchHistory(id).getEvents(), "FetchWal") == 1);
        long serverPid = new LocalCluster(dir, ErrorCode.RECOVERY_FAILED).postmasterPid();
        second.kill();
        assertTrue(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false),
            "the server outlives its worker");

        third = Workers.start(stack, home);
        PitrResult result = resultOrHistory(client, id, PitrResult.class, Duration.ofMinutes(4), third);

        assertTrue(result.outcome().stoppedAt().startsWith("recovery stopping before commit of transaction"),
            result.outcome().toString());
        assertTrue(Instant.parse(result.outcome().lastTransactionAt()).isBefore(moment), result.outcome().toString());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", "postgres",
            pg.password()); ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT string_agg(note, ','"
                + " ORDER BY id) FROM events), (SELECT count(*) FROM big), pg_is_in_recovery()")) {
          rs.next();
          assertEquals("before 1,before 2", rs.getString(1), "the rows before the moment, none after");
          assertEquals(ROWS, rs.getLong(2), "the whole base backup, unpacked again");
          assertFalse(rs.getBoolean(3), "promoted: it takes writes");
        }
        assertEquals(serverPid, new LocalCluster(dir, ErrorCode.RECOVERY_FAILED).postmasterPid(),
            "the replacement waited for the server the killed worker started: no second start");
        assertFalse(Files.exists(dir.resolve(LEFTOVER)), "the unpack started over: nothing of before is merged");
        assertFalse(Files.exists(dir.resolve("lifeboat_restore_wal")), "no fetched WAL left");

        List<HistoryEvent> events = client.fetchHistory(id).getEvents();
        assertRetriedAfterAHeartbeatTimeoutBy(events, "RestoreBaseBackup", recovering);
        assertRetriedAfterAHeartbeatTimeoutBy(events, "RecoverToTarget", third);
        assertEquals(1, completed(events, "FetchWal"));
        assertEquals(0, scheduled(events, "DiscardRecoveryTarget"), "no step failed: nothing was discarded");
        System.out.printf("killed the unpack at %d of %d bytes; then the worker of server %d; %s%n", unpackedAtKill,
            base.rawBytes(), serverPid, result.outcome());
      } finally {
        new LocalCluster(dir, ErrorCode.RECOVERY_FAILED).stop("immediate", () -> { });
        for (CliProcess worker : new CliProcess[] {first, second, third}) {
          if (worker != null) {
            worker.kill(); // done with: a polite stop would wait for the archive's stream to store and stop
            worker.close();
          }
        }
      }
    } finally {
      LocalCluster.deleteTree(restores);
    }
  }

  /** The step completed once, on its second attempt, run by {@code replacement} after the first's heartbeats stopped. */
  private static void assertRetriedAfterAHeartbeatTimeoutBy(List<HistoryEvent> events, String step,
      CliProcess replacement) {
    assertEquals(1, completed(events, step), step + " completed once");
    ActivityTaskStartedEventAttributes attempt = lastAttempt(events, step);
    assertEquals(2, attempt.getAttempt(), step + ": " + attempt);
    assertTrue(attempt.getIdentity().startsWith(replacement.process().pid() + "@"), step + ": " + attempt);
    assertEquals(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, attempt.getLastFailure().getTimeoutFailureInfo()
        .getTimeoutType(), step + ": " + attempt);
  }

  private static long scheduled(List<HistoryEvent> events, String step) {
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> activityType(events, e.getEventId()).equals(step)).count();
  }

  /**
   * Polls {@code due} every 10 ms (the unpack writes 100 MB/s: the kill must follow at once); every half second,
   * fails when the restore ended first or the worker died.
   */
  private static void awaitKillPoint(WorkflowClient client, String id, CliProcess worker, String what,
      BooleanSupplier due) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    for (int i = 0; System.nanoTime() < deadline; i++) {
      if (due.getAsBoolean()) {
        return;
      }
      if (i % 50 == 0) {
        assertFalse(WorkflowRuns.isClosed(client, id), "the restore ended before " + what);
        assertTrue(worker.process().isAlive(), "worker died:\n" + worker.output());
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no kill point (" + what + ") within 3 minutes:\n" + worker.output());
  }

  /** The bytes of the files under {@code dir} (0 while it is not there; files come and go while tar runs). */
  private static long bytesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.mapToLong(lifeboat.cli.testing.KillPoints::sizeOf).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }
}
