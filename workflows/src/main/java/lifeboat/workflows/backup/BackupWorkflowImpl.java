package lifeboat.workflows.backup;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.Map;
import lifeboat.workflows.Cancellations;
import lifeboat.workflows.Compensations;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.BackupActivities;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupPlan;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.retention.RetentionWorkflow;

/**
 * Orchestration only. Timeouts and retry policies per step come from the worker
 * ({@code lifeboat.worker.ActivityPolicies}), so the stub here is created without options.
 */
public class BackupWorkflowImpl implements BackupWorkflow {
  /** {@code lifeboat_backup_failures_total} in Prometheus: a backup that failed (not one cancelled). */
  public static final String FAILURES_METRIC = "lifeboat_backup_failures";

  private final BackupActivities steps = Workflow.newActivityStub(BackupActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public BackupResult backup(BackupRequest request) {
    String database = request.database();
    long started = Workflow.currentTimeMillis();
    String backupId = BackupIds.newId(started, Workflow.randomUUID());
    Saga saga = new Saga(new Saga.Options.Builder().build());
    BackupResult result;
    try {
      BackupPlan plan = log.run("prepare", () -> steps.prepareBackup(database));
      // Registered before the step it undoes: a dump killed half-way leaves a partial object to remove.
      saga.addCompensation(steps::discardBackup, database, backupId);
      // A base backup is its own step, so requests recorded before it (type null) replay the same commands.
      BackupManifest dumped = request.base()
          ? log.run("base-backup-to-repository", () -> steps.baseBackupToRepository(plan.database(), backupId))
          : log.run("dump-to-repository",
              () -> steps.dumpToRepository(plan.database(), backupId, request.schemaVersion()));
      BackupManifest verified = log.run("verify", () -> steps.verifyBackup(dumped));
      log.run("publish-manifest", () -> steps.publishManifest(verified));
      result = new BackupResult(backupId, database, verified.rawBytes(), verified.storedBytes(),
          Workflow.currentTimeMillis() - started, verified.verified(), verified.location(), verified.verification());
    } catch (ActivityFailure | CanceledFailure e) {
      log.failed(e);
      if (!Cancellations.isCancellation(e)) {
        // The SDK's workflow metrics scope skips replays, so each failed backup counts once. Not a command:
        // recorded histories replay unchanged.
        Workflow.getMetricsScope().tagged(Map.of("database", database)).counter(FAILURES_METRIC).inc(1);
      }
      discard(saga, e);
      throw e;
    }
    // Outside the saga: the backup is published, nothing that happens to retention may discard it.
    if (request.retention() != null) {
      retention(database, request);
    }
    log.finished();
    return result;
  }

  /**
   * Runs the compensation in a detached scope: it must run even when the workflow itself is being cancelled.
   * A discard that fails is the lesser problem (a partial object the next prepare sweeps): it shows as the
   * failed step "discard-backup" and in the worker's log, and the workflow still fails with the error that
   * made the backup fail, the one a person must act on.
   */
  private void discard(Saga saga, RuntimeException cause) {
    RuntimeException discardFailed = Compensations.runDetached(log, "discard-backup", saga);
    if (discardFailed != null) {
      cause.addSuppressed(discardFailed);
      Workflow.getLogger(BackupWorkflowImpl.class).warn("{}: discard-backup failed as well (the backup's own"
          + " error stands): {}", Workflow.getInfo().getWorkflowId(), StepLog.describe(discardFailed));
    }
  }

  /**
   * Prunes after a successful backup. A failed or refused retention does not fail the backup: it shows as the
   * failed step "retention" in the progress, and the next run tries again. (Histories of requests without a
   * retention policy issue no new command, so they replay unchanged.)
   */
  private void retention(String database, BackupRequest request) {
    RetentionWorkflow child = Workflow.newChildWorkflowStub(RetentionWorkflow.class,
        ChildWorkflowOptions.newBuilder().setWorkflowId(RetentionWorkflow.workflowId(database)).build());
    try {
      log.run("retention", () -> {
        RetentionResult r = child.run(new RetentionRequest(database, request.retention(), false));
        if (r.refusal() != null) {
          throw WorkflowError.RETENTION_REFUSED.failure("retention refused: " + r.refusal());
        }
        return r;
      });
    } catch (ChildWorkflowFailure | ApplicationFailure e) {
      // recorded by the step log; the backup stands
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
