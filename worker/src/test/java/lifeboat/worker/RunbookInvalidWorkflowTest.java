package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.failover.FailoverRequest;
import lifeboat.workflows.failover.FailoverWorkflow;
import lifeboat.workflows.premigration.PreMigrationBackupWorkflow;
import lifeboat.workflows.premigration.PreMigrationRequest;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.MigratorSpec;
import lifeboat.workflows.runbook.ProbeSettings;
import lifeboat.workflows.runbook.RepointSpec;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runbook that `runbook validate` would refuse, started anyway (by hand, by an older CLI, by a schedule made
 * before the check): a duration that does not parse fails the workflow at once with RUNBOOK_INVALID, naming
 * the field, instead of failing its workflow task, which the SDK retries forever. On the time-skipping server,
 * with a run timeout: a stalled workflow would end in that timeout instead.
 */
class RunbookInvalidWorkflowTest {
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    home.sqlite("notes", 10);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aDrillWithABadRtoFailsBeforeItsFirstStep() {
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "notes-drill", "notes", null, null, null,
        new RestoreSpec(null, null, null, null, null, null, null, "half an hour"), null, List.of(), null, null);
    ApplicationFailure failure = failsWithRunbookInvalid("drill-bad-rto", RestoreDrillWorkflow.class,
        wf -> wf.drill(new DrillRequest(runbook, null, "test")), "restore.rto", "half an hour");
    assertEquals(List.of(), Histories.scheduledActivities(client, "drill-bad-rto"), "nothing ran: " + failure);
  }

  @Test
  void aFailoverWithABadProbeWindowFailsBeforeProbing() {
    FailoverEndpoint nowhere = new FailoverEndpoint("postgresql://u@127.0.0.1:1/app", null);
    FailoverSpec spec = new FailoverSpec(nowhere, nowhere, new ProbeSettings(3, "soon", "1s"),
        RepointSpec.pgbouncer("/nonexistent.ini", "app", nowhere), null, null, null, "30s");
    Runbook runbook = new Runbook(Runbook.KIND_FAILOVER, "app-failover", null, null, null, null, null, null, null,
        null, spec);
    failsWithRunbookInvalid("failover-bad-window", FailoverWorkflow.class,
        wf -> wf.failover(new FailoverRequest(runbook, true, false)), "failover.probe.window", "soon");
    assertTrue(Histories.scheduledActivities(client, "failover-bad-window").isEmpty(), "no probe was sent");
  }

  /** The approval gate: a migration fails, and the wait for a person cannot be timed. */
  @Test
  void anApprovalWithABadTimeoutFailsTheWaitingWorkflow() {
    Runbook runbook = new Runbook(Runbook.KIND_PRE_MIGRATION_BACKUP, "notes-pre-migration", "notes", null, null,
        null, null, new MigratorSpec(MigratorSpec.COMMAND, null, "exit 3", null, null, null, null, "1m"), null,
        new ApprovalPolicy(List.of("alice"), "15m", "two hours", "wait"), null);
    failsWithRunbookInvalid("migrate-bad-timeout", PreMigrationBackupWorkflow.class,
        wf -> wf.run(new PreMigrationRequest(runbook)), "approval.timeout", "two hours");
    assertTrue(Histories.scheduledActivities(client, "migrate-bad-timeout").contains("Migrate"),
        "it got as far as the failed migration");
  }

  private <W> ApplicationFailure failsWithRunbookInvalid(String id, Class<W> type, Function<W, ?> run,
      String field, String value) {
    W wf = client.newWorkflowStub(type, WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT)
        .setWorkflowId(id).setWorkflowRunTimeout(Duration.ofHours(1)).build());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run.apply(wf));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause(), String.valueOf(e.getCause()));
    assertEquals("RUNBOOK_INVALID", failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("runbook field '" + field + "': not a duration: '" + value + "'")
        && failure.getOriginalMessage().contains("[RUNBOOK_INVALID] HINT: fix the runbook"),
        failure.getOriginalMessage());
    return failure;
  }
}
