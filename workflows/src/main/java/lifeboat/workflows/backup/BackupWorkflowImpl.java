package lifeboat.workflows.backup;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.Map;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.BackupActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupPlan;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.WorkflowProgress;

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
    try {
      BackupPlan plan = log.run("prepare", () -> steps.prepareBackup(database));
      // Registered before the step it undoes: a dump killed half-way leaves a partial object to remove.
      saga.addCompensation(steps::discardBackup, database, backupId);
      BackupManifest dumped = log.run("dump-to-repository",
          () -> steps.dumpToRepository(plan.database(), backupId, request.schemaVersion()));
      BackupManifest verified = log.run("verify", () -> steps.verifyBackup(dumped));
      log.run("publish-manifest", () -> steps.publishManifest(verified));
      log.finished();
      return new BackupResult(backupId, database, verified.rawBytes(), verified.storedBytes(),
          Workflow.currentTimeMillis() - started, verified.verified(), verified.location());
    } catch (ActivityFailure | CanceledFailure e) {
      log.failed(e);
      if (!(e instanceof CanceledFailure)) {
        // The SDK's workflow metrics scope skips replays, so each failed backup counts once. Not a command:
        // recorded histories replay unchanged.
        Workflow.getMetricsScope().tagged(Map.of("database", database)).counter(FAILURES_METRIC).inc(1);
      }
      // Detached: compensation must run even when the workflow itself is being cancelled.
      Workflow.newDetachedCancellationScope(() -> log.run("discard-backup", saga::compensate)).run();
      throw e;
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
