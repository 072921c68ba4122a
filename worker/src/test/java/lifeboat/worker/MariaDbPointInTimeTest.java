package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.PitrDrillWorkflow;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.retention.RetentionWorkflow;
import lifeboat.workflows.runbook.RetentionPolicy;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.restore.RestoreWorkflow;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB point in time through the workflows, on the Temporal test server with the real activities and a real
 * server: the WAL archive workflow archives the binlog until its stop signal (storing what it received before it
 * ends), `wal status` reads it, and RestoreWorkflow with a moment plans, restores the dump and replays the binlog
 * to that moment; a moment the archive does not reach fails in its first step, before the target is touched.
 */
class MariaDbPointInTimeTest {
  @TempDir Path dir;
  private MariaDbServer maria;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() throws Exception {
    maria = MariaDbServer.start();
    maria.createDatabase("shop");
    maria.exec("shop", "CREATE TABLE orders(id int PRIMARY KEY, note varchar(100)) ENGINE=InnoDB;"
        + " INSERT INTO orders VALUES (1, 'in the backup')");
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("maria-password"), maria.password());
    home.database("shop", "{ engine: mariadb, url: \"" + maria.url("shop") + "\", password: file:maria-password,"
        + " repository: local, wal: { partialEvery: 1s } }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    maria.close();
  }

  @Test
  void theArchiveRunsUntilStoppedAndARestoreToAMomentReplaysItsBinlogUpToThere() throws Exception {
    client.newWorkflowStub(BackupWorkflow.class, options("backup-shop")).backup(new BackupRequest("shop", null, null));
    WalArchiveWorkflow archive = client.newWorkflowStub(WalArchiveWorkflow.class, options("binlog-archive-shop"));
    WorkflowClient.start(archive::archive, "shop");
    maria.exec("shop", "INSERT INTO orders VALUES (2, 'before T')");
    sleepToNextSecond();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500);
    sleepToNextSecond();
    maria.exec("shop", "INSERT INTO orders VALUES (3, 'after T')");
    String server = maria.exec(null, "SHOW MASTER STATUS").split("\t")[0] + ":"
        + maria.exec(null, "SHOW MASTER STATUS").split("\t")[1];
    WorkflowStub stub = WorkflowStub.fromTyped(archive);
    stub.signal("stop", "test");
    stub.getResult(2, TimeUnit.MINUTES, Void.class);
    WalStatus status = client.newWorkflowStub(WalStatusWorkflow.class, options("wal-status-shop")).status("shop");
    assertEquals(server, status.archivedLsn(), "stored through the last write before the stop: " + status);
    assertEquals(List.of(), status.gaps());
    assertEquals(0L, status.lagBytes());

    maria.createDatabase("shop_at_t");
    RestoreRequest request = new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_at_t"),
        "file:maria-password", 1, false, List.of(), false, false, false, false, t.toString());
    RestoreResult result = client.newWorkflowStub(RestoreWorkflow.class, options("restore-shop-at-t"))
        .restore(request);
    assertTrue(result.check().contains("replayed 1 binlog file(s)"), result.check());
    assertEquals("1\tin the backup\n2\tbefore T", maria.exec("shop_at_t", "SELECT id, note FROM orders ORDER BY id"));
    String history = Histories.readable(client, "restore-shop-at-t");
    assertFalse(history.contains(maria.password()), "the database password in a point-in-time restore's history");
    assertEquals(List.of("PlanBinlogReplay", "CheckTarget", "VerifyChecksum", "RestoreIntoTarget", "ReplayBinlog"),
        Histories.scheduledActivities(client, "restore-shop-at-t"));
    Histories.record(client, "restore-shop-at-t", "restore-2");

    maria.createDatabase("shop_later");
    RestoreRequest later = new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_later"),
        "file:maria-password", 1, false, List.of(), false, false, false, false,
        Instant.now().plusSeconds(3600).toString());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> client.newWorkflowStub(RestoreWorkflow.class, options("restore-shop-later")).restore(later));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause().getCause());
    assertEquals("RECOVERY_TARGET_UNREACHABLE", failure.getType(), failure.getOriginalMessage());
    assertEquals(List.of("PlanBinlogReplay"), Histories.scheduledActivities(client, "restore-shop-later"),
        "refused in its first step, not retried, nothing touched");
    assertEquals("0", maria.exec("shop_later", "SELECT count(*) FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = 'shop_later'"));
  }

  /**
   * A replay whose attempt dies half-way (here: its first attempt fails as a killed worker's would, and Temporal
   * retries it): the retry refuses to apply events a second time, and the workflow restores the dump afresh over
   * the target and replays once; the rows are the moment's, none twice.
   */
  @Test
  void aReplayInterruptedHalfWayIsRedoneFromTheDumpNotAppliedTwice() throws Exception {
    env.close();
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(dir.resolve("lifeboat.yaml")),
        new FaultInjection().fail("ReplayBinlog", 1,
            () -> ApplicationFailure.newFailure("the worker died mid-replay", "WORKER_LOST")));
    env.start();
    client = env.getWorkflowClient();
    client.newWorkflowStub(BackupWorkflow.class, options("backup-shop")).backup(new BackupRequest("shop", null, null));
    WalArchiveWorkflow archive = client.newWorkflowStub(WalArchiveWorkflow.class, options("binlog-archive-shop"));
    WorkflowClient.start(archive::archive, "shop");
    maria.exec("shop", "INSERT INTO orders VALUES (2, 'replayed once'); UPDATE orders SET note = concat(note, '+')"
        + " WHERE id = 1");
    sleepToNextSecond();
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500);
    sleepToNextSecond();
    maria.createDatabase("shop_redo");
    Thread.sleep(1500);
    WorkflowStub.fromTyped(archive).signal("stop", "test");
    WorkflowStub.fromTyped(archive).getResult(2, TimeUnit.MINUTES, Void.class);

    RestoreResult result = client.newWorkflowStub(RestoreWorkflow.class, options("restore-shop-redo"))
        .restore(new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_redo"), "file:maria-password", 1,
            false, List.of(), false, false, false, false, t.toString()));
    assertTrue(result.check().contains("replayed 1 binlog file(s)"), result.check());
    assertEquals("1\tin the backup+\n2\treplayed once", maria.exec("shop_redo",
        "SELECT id, note FROM orders ORDER BY id"), "each event applied once");
    assertEquals(List.of("PlanBinlogReplay", "CheckTarget", "VerifyChecksum", "RestoreIntoTarget", "ReplayBinlog",
        "RestoreIntoTarget", "ReplayBinlog"), Histories.scheduledActivities(client, "restore-shop-redo"));
    Histories.record(client, "restore-shop-redo", "restore-3");
  }

  /**
   * The PITR drill of a MariaDB database: canaries around a moment, the newest dump restored into a throwaway
   * mariadbd and its binlog replayed to the moment, the first canary there and not the second, torn down; a drill
   * whose smoke check fails fails after tearing down too.
   */
  @Test
  void aPitrDrillRestoresADumpAndItsBinlogToTheCanariesMomentAndTearsDown() throws Exception {
    client.newWorkflowStub(BackupWorkflow.class, options("backup-shop")).backup(new BackupRequest("shop", null, null));
    WalArchiveWorkflow archive = client.newWorkflowStub(WalArchiveWorkflow.class, options("binlog-archive-shop"));
    WorkflowClient.start(archive::archive, "shop");
    try {
      DrillReport report = pitrDrill("pitr-drill-shop", new SmokeCheck("orders", "SELECT count(*) FROM orders",
          "= 1", null));
      assertTrue(report.success(), report.toString());
      assertEquals(List.of("canary written before the moment", "canary written after the moment", "orders"),
          report.smoke().stream().map(SmokeResult::name).toList());
      assertTrue(report.smoke().stream().allMatch(SmokeResult::passed), report.smoke().toString());
      assertEquals(List.of("write-canaries", "await-archived", "plan-binlog-replay", "verify-checksum", "plan-target",
          "check-key", "create-target", "restore-globals", "restore", "replay-binlog", "check-canaries-and-smoke",
          "teardown-target"), report.steps().stream().map(StepRecord::name).toList());
      assertTrue(report.target().contains("recovery point: the binlog was in the repository"), report.target());
      assertEquals(Boolean.TRUE, report.rtoMet());
      assertTargetGone("pitr-drill-shop");
      assertEquals("0", maria.exec("shop", "SELECT count(*) FROM lifeboat_pitr_canary WHERE id = 'pitr-drill-shop-first'"),
          "the first canary is gone from the source: only the restore has it");
      assertFalse(Histories.readable(client, "pitr-drill-shop").contains(maria.password()));
      Histories.record(client, "pitr-drill-shop", "pitr-drill-2");

      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> pitrDrill("pitr-drill-bad",
          new SmokeCheck("a million orders", "SELECT count(*) FROM orders", ">= 1000000", null)));
      DrillReport failed = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails().get(DrillReport.class);
      assertFalse(failed.success());
      assertTrue(failed.failure().contains("'a million orders'"), failed.failure());
      assertEquals("ok", failed.steps().get(failed.steps().size() - 1).outcome(), "torn down: " + failed.steps());
      assertTargetGone("pitr-drill-bad");
    } finally {
      WorkflowStub.fromTyped(archive).signal("stop", "test");
    }
  }

  /**
   * Retention of a MariaDB database with a binlog archive: the dumps by GFS, then the binlog files before the one
   * the oldest kept dump's snapshot sits in (which no kept dump replays from); the dry run says what, and only
   * that goes; a restore to a moment after the kept dump still works.
   */
  @Test
  void retentionPrunesTheBinlogBeforeTheOldestKeptDumpsFile() throws Exception {
    WalArchiveWorkflow archive = client.newWorkflowStub(WalArchiveWorkflow.class, options("binlog-archive-shop"));
    WorkflowClient.start(archive::archive, "shop");
    client.newWorkflowStub(BackupWorkflow.class, options("backup-1")).backup(new BackupRequest("shop", null, null));
    maria.exec("shop", "INSERT INTO orders VALUES (2, 'between the backups')");
    maria.exec(null, "FLUSH BINARY LOGS");
    maria.exec(null, "FLUSH BINARY LOGS");
    BackupResult kept = client.newWorkflowStub(BackupWorkflow.class, options("backup-2"))
        .backup(new BackupRequest("shop", null, null));
    maria.exec("shop", "INSERT INTO orders VALUES (3, 'after the second backup')");
    String keptFile = maria.exec(null, "SHOW MASTER STATUS").split("\t")[0];
    maria.createDatabase("shop_after"); // in the binlog too: made while the archive still runs, so it is not behind
    Thread.sleep(1500);
    WorkflowStub.fromTyped(archive).signal("stop", "test");
    WorkflowStub.fromTyped(archive).getResult(2, TimeUnit.MINUTES, Void.class);
    assertEquals(List.of(), status().gaps());
    int filesBefore = status().segments();
    assertTrue(filesBefore >= 2, status().toString());

    Thread.sleep(1100); // past minAge
    RetentionPolicy keepOne = new RetentionPolicy(1, 0, 0, 0, "1s", "UTC");
    RetentionResult dry = client.newWorkflowStub(RetentionWorkflow.class, options("retention-dry"))
        .run(new RetentionRequest("shop", keepOne, true));
    assertEquals(keptFile, dry.wal().keepFrom(), dry.toString());
    assertTrue(dry.wal().objects() >= 2, dry.wal().toString());
    assertEquals(filesBefore, status().segments(), "the dry run removed nothing");
    RetentionResult done = client.newWorkflowStub(RetentionWorkflow.class, options("retention-shop"))
        .run(new RetentionRequest("shop", keepOne, false));
    assertEquals(1, done.count(RetentionDecision.DELETED), done.toString());
    assertEquals(dry.wal().objects(), done.wal().objects(), "what the dry run said, and only that");
    WalStatus after = status();
    assertEquals(keptFile, after.firstSegment(), "the archive now starts at the kept dump's file: " + after);
    assertEquals(List.of(), after.gaps());
    Histories.record(client, "retention-shop", "retention-3");

    RestoreResult restored = client.newWorkflowStub(RestoreWorkflow.class, options("restore-shop-after"))
        .restore(new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_after"), "file:maria-password", 1,
            false, List.of(), false, false, false, false, Instant.now().toString()));
    assertEquals(kept.backupId(), restored.backupId(), "the kept dump, brought forward by the kept binlog");
    assertEquals("3", maria.exec("shop_after", "SELECT count(*) FROM orders"));
  }

  private WalStatus status() {
    return client.newWorkflowStub(WalStatusWorkflow.class, options("wal-status-" + System.nanoTime())).status("shop");
  }

  private DrillReport pitrDrill(String id, SmokeCheck check) {
    Runbook runbook = new Runbook(Runbook.KIND_PITR_DRILL, "shop-pitr", "shop", null, null, null,
        new RestoreSpec(null, null, null, null, null, 1, false, "30m"), null, List.of(check), null, null);
    return client.newWorkflowStub(PitrDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null, "test"));
  }

  /** No mariadbd of the drill runs and its folder is gone. */
  private void assertTargetGone(String workflowId) {
    ThrowawayTarget t = Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
    assertFalse(Files.exists(Path.of(t.dir())), "the throwaway mariadbd's folder " + t.dir() + " is gone");
    assertEquals(List.of(), ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("mariadbd") && c.contains(t.dir()))
        .toList(), "a mariadbd of the drill still runs");
  }

  private static void sleepToNextSecond() throws InterruptedException {
    Thread.sleep(1050 - System.currentTimeMillis() % 1000);
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
