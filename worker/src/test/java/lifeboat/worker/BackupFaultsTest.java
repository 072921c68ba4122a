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
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.WorkflowProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BackupWorkflow's failure branches, with the real activities and a fault put in front of one of them
 * (FaultInjection): a cancelled backup is not a failed one in lifeboat_backup_failures, and a failing
 * DiscardBackup never hides why the backup failed.
 */
class BackupFaultsTest {
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkerMetrics metrics;
  private WorkflowClient client;

  private void start(FaultInjection faults) throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    home.sqlite("notes", 300);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
    home.database("other", "{ engine: sqlite, path: ./notes.db, repository: local }");
    metrics = new WorkerMetrics();
    // Real time: the SDK's metrics scope reports on a wall-clock interval.
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false)
        .setMetricsScope(metrics.scope()).build());
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config(), metrics.activityMetrics()),
        faults);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void aCancelledBackupIsNotCountedAsAFailure() throws Exception {
    FaultInjection faults = new FaultInjection().stall("DumpToRepository", 1)
        .fail("DumpToRepository", 2, () -> ApplicationFailure.newNonRetryableFailure("disk full", "DUMP_FAILED"));
    start(faults);
    BackupWorkflow wf = client.newWorkflowStub(BackupWorkflow.class, options("backup-notes"));
    WorkflowClient.start(wf::backup, new BackupRequest("notes", null, null));
    WorkflowStub stub = client.newUntypedWorkflowStub("backup-notes");
    Progress.awaitStep(stub, "dump-to-repository");
    stub.cancel();
    WorkflowFailedException cancelled = assertThrows(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    assertInstanceOf(CanceledFailure.class, cancelled.getCause());

    // A backup that really fails, after it: once its count is reported, the cancelled one would be too.
    assertThrows(WorkflowFailedException.class, () -> client.newWorkflowStub(BackupWorkflow.class,
        options("backup-other")).backup(new BackupRequest("other", null, null)));
    String body = scrapeUntil("database=\"other\"");
    assertTrue(counted("other").matcher(body).find(), body);
    assertFalse(counted("notes").matcher(body).find(), "a cancelled backup is not a failure:\n" + body);
    assertEquals(2, faults.calls("DumpToRepository"));
  }

  @Test
  void aFailingDiscardLeavesTheDumpsErrorAsTheWorkflowsFailure() throws Exception {
    start(new FaultInjection()
        .fail("DumpToRepository", 1, () -> ApplicationFailure.newNonRetryableFailure(
            "pg_dump died half-way: no space left on device [DUMP_FAILED] HINT: free space", "DUMP_FAILED"))
        .failFrom("DiscardBackup", 1, () -> ApplicationFailure.newNonRetryableFailure(
            "repository unreachable [STORAGE_FAILED] HINT: check the repository", "STORAGE_FAILED")));
    // A workflow task that fails is retried, not failed: the run timeout turns a stall into a failure here.
    WorkflowOptions bounded = WorkflowOptions.newBuilder(options("backup-notes"))
        .setWorkflowRunTimeout(Duration.ofSeconds(30)).build();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> client.newWorkflowStub(BackupWorkflow.class, bounded).backup(new BackupRequest("notes", null, null)));
    ActivityFailure dump = assertInstanceOf(ActivityFailure.class, e.getCause(), String.valueOf(e.getCause()));
    assertEquals("DumpToRepository", dump.getActivityType());
    ApplicationFailure why = assertInstanceOf(ApplicationFailure.class, dump.getCause());
    assertEquals("DUMP_FAILED", why.getType(), "the dump's error, not the discard's");
    assertTrue(why.getOriginalMessage().contains("no space left on device"), why.getOriginalMessage());

    WorkflowProgress progress = client.newWorkflowStub(BackupWorkflow.class, "backup-notes").progress();
    assertEquals(List.of("prepare:ok", "dump-to-repository:failed", "discard-backup:failed"),
        progress.steps().stream().map(s -> s.name() + ":" + s.outcome()).toList());
    assertTrue(progress.steps().get(2).detail().contains("repository unreachable [STORAGE_FAILED]"),
        "the discard's own failure beside it: " + progress.steps().get(2).detail());
    assertTrue(progress.error().contains("no space left on device"), progress.error());
  }

  private static Pattern counted(String database) {
    return Pattern.compile("(?m)^lifeboat_backup_failures_total\\{[^}]*database=\"" + database + "\"[^}]*} ");
  }

  /** The SDK's scope reports every second: wait until {@code expected} is in the scrape. */
  private String scrapeUntil(String expected) throws InterruptedException {
    String body = "";
    for (int i = 0; i < 50 && !body.contains(expected); i++) {
      body = metrics.scrape();
      if (!body.contains(expected)) {
        Thread.sleep(200);
      }
    }
    return body;
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
