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
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.drill.DrillHistoryWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills of a real SQLite backup on the Temporal test server with the real activities: a passing
 * drill, a failing smoke check, a drill that cannot start, and a cancelled drill; the throwaway target is
 * torn down every time, and every drill leaves a report.
 */
class RestoreDrillWorkflowTest {
  private static final SmokeCheck NOTES_EXIST = new SmokeCheck("notes exist", "select count(*) from notes", "> 0",
      null);
  private static final SmokeCheck PROBE = new SmokeCheck("write and read back", null, null, true);
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookInbox inbox;

  @BeforeEach
  void start() throws Exception {
    inbox = new WebhookInbox();
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get()).webhook(inbox.url());
    home.sqlite("notes", 3000);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local,"
        + " schemaVersionQuery: \"select v from schema_version\" }");
    home.database("empty", "{ engine: sqlite, path: ./empty.db, repository: local }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    inbox.close();
  }

  @Test
  void aDrillRestoresChecksTearsDownAndReports() {
    backup("notes");
    DrillReport report = drill("drill-ok", runbook("notes", "5m", NOTES_EXIST, PROBE));
    assertTrue(report.success(), report.toString());
    assertEquals("7", report.backupSchemaVersion());
    assertEquals("7", report.restoredSchemaVersion());
    assertEquals(2, report.smoke().size());
    assertTrue(report.smoke().stream().allMatch(s -> s.passed()), report.smoke().toString());
    assertEquals("3000", report.smoke().get(0).actual());
    assertEquals(Boolean.TRUE, report.rtoMet());
    assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "create-target", "restore",
        "check-schema-version", "smoke-checks", "teardown-target"), names(report.steps()));
    assertTrue(report.steps().stream().allMatch(s -> s.outcome().equals("ok")), report.steps().toString());
    assertFalse(exists("drill-ok"), "the throwaway SQLite file is gone");
    assertEquals(List.of(), inbox.received(), "a passing drill within its RTO tells nobody");

    Histories.record(client, "drill-ok", "drill-1");
    List<DrillReport> history = history("notes");
    assertEquals(1, history.size());
    assertEquals(report.drillId(), history.get(0).drillId());
    assertTrue(history.get(0).success());
  }

  @Test
  void aFailingSmokeCheckFailsTheDrillAfterTearingDownAndReporting() {
    backup("notes");
    SmokeCheck impossible = new SmokeCheck("a million notes", "select count(*) from notes", ">= 1000000", null);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-smoke", runbook("notes", null, NOTES_EXIST, impossible)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DRILL_FAILED", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("1 smoke check failed: 'a million notes'"),
        failure.getOriginalMessage());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());
    assertEquals("ok", step(report, "teardown-target").outcome(), "torn down even though the drill failed");
    assertFalse(exists("drill-smoke"));
    assertEquals(1, inbox.received().size(), "a failed drill is posted to the webhook");
    assertTrue(inbox.received().get(0).contains("a million notes"), inbox.received().get(0));
    assertFalse(history("notes").get(0).success(), "and its report is in the history");
  }

  @Test
  void aDrillWithoutABackupFailsLoudly() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-none", runbook("empty", null, NOTES_EXIST)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertTrue(failure.getOriginalMessage().contains("has no verified backup"), failure.getOriginalMessage());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertEquals(List.of("pick-backup"), names(report.steps()), "nothing was created, nothing to tear down");
    assertEquals(1, history("empty").size());
    assertEquals(1, inbox.received().size());
  }

  @Test
  void aCancelledDrillStillTearsItsTargetDown() throws Exception {
    backup("notes");
    // A slow smoke check holds the drill at a known step, with the target created.
    SmokeCheck slow = new SmokeCheck("slow", "with recursive n(i) as (select 1 union all select i + 1 from n"
        + " where i < 30000000) select count(*) from n", "> 0", null);
    RestoreDrillWorkflow wf = client.newWorkflowStub(RestoreDrillWorkflow.class, options("drill-cancel"));
    WorkflowClient.start(wf::drill, new DrillRequest(runbook("notes", null, slow), null, "test"));
    WorkflowStub stub = client.newUntypedWorkflowStub("drill-cancel");
    awaitStep(stub, "smoke-checks");
    assertTrue(exists("drill-cancel"), "the target exists while the drill runs");
    stub.cancel();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(DrillReport.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    WorkflowProgress progress = stub.query("progress", WorkflowProgress.class);
    assertEquals("ok", progress.steps().stream().filter(s -> s.name().equals("teardown-target")).findFirst()
        .orElseThrow().outcome());
    assertFalse(exists("drill-cancel"));
    assertFalse(history("notes").get(0).success());
    assertEquals("cancelled", history("notes").get(0).failure());
  }

  @Test
  void aRandomDrillPicksAVerifiedBackupWithinItsWindow() {
    backup("notes");
    backup("notes");
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "notes-monthly", "notes", null, null, null,
        new RestoreSpec("random", "30d", null, null, null, null, null, null), null, List.of(NOTES_EXIST), null, null);
    DrillReport report = drill("drill-random", runbook);
    assertTrue(report.success(), report.toString());
    List<String> backups = client.newWorkflowStub(lifeboat.workflows.catalog.ListBackupsWorkflow.class,
        options("list")).list("notes").stream().map(m -> m.backupId()).toList();
    assertEquals(2, backups.size());
    assertTrue(backups.contains(report.backupId()), report.backupId() + " in " + backups);
    assertEquals(2, Histories.activityResult(client, "drill-random", "ListDrillCandidates", List.class).size(),
        "both backups were candidates");
  }

  private Runbook runbook(String database, String rto, SmokeCheck... smoke) {
    return new Runbook(Runbook.KIND_RESTORE_DRILL, database + "-drill", database, null, null, null,
        new RestoreSpec(null, null, null, null, null, null, null, rto), null, List.of(smoke), null, null);
  }

  private void backup(String database) {
    client.newWorkflowStub(BackupWorkflow.class, options("backup-" + database + "-" + System.nanoTime()))
        .backup(new BackupRequest(database, null, null));
  }

  private DrillReport drill(String id, Runbook runbook) {
    return client.newWorkflowStub(RestoreDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null,
        "test"));
  }

  private List<DrillReport> history(String database) {
    return client.newWorkflowStub(DrillHistoryWorkflow.class, options("history-" + System.nanoTime()))
        .history(database, 10);
  }

  /** The throwaway target a drill planned, as its PlanThrowawayTarget step returned it. */
  private ThrowawayTarget planned(String workflowId) {
    return Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
  }

  private boolean exists(String workflowId) {
    return Files.exists(Path.of(planned(workflowId).dir()));
  }

  private static void awaitStep(WorkflowStub stub, String step) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (step.equals(stub.query("progress", WorkflowProgress.class).currentStep())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never reached step " + step);
  }

  private static StepRecord step(DrillReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(List<StepRecord> steps) {
    return steps.stream().map(StepRecord::name).toList();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
