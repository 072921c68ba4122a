package lifeboat.workflows.pitr;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import lifeboat.workflows.Compensations;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.PitrActivities;
import lifeboat.workflows.model.WorkflowProgress;

public class PointInTimeRestoreWorkflowImpl implements PointInTimeRestoreWorkflow {
  /** How long the host's steps may wait for its worker (a restarting worker comes back within this). */
  private static final Duration HOST_WAIT = Duration.ofMinutes(10);

  private final PitrActivities planner = Workflow.newActivityStub(PitrActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public PitrResult restore(PitrRequest request) {
    long started = Workflow.currentTimeMillis();
    RecoveryPlan plan = log.run("plan-recovery", () -> planner.planRecovery(request));
    PitrActivities host = Workflow.newActivityStub(PitrActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(plan.taskQueue()).setScheduleToStartTimeout(HOST_WAIT).build());
    Saga saga = new Saga(new Saga.Options.Builder().build());
    try {
      // Registered before the step it undoes: a half-unpacked DIR is emptied.
      saga.addCompensation(host::discardRecoveryTarget, plan);
      log.run("restore-base-backup", () -> host.restoreBaseBackup(plan));
      int fetched = log.run("fetch-wal", () -> host.fetchWal(plan));
      RecoveryOutcome outcome = log.run("recover-to-target", () -> host.recoverToTarget(plan));
      log.finished();
      return new PitrResult(request.database(), plan.target(), plan.backupId(), plan.firstSegment(),
          plan.lastSegment(), fetched, outcome, plan.dir(), plan.port(), Workflow.currentTimeMillis() - started,
          log.progress().steps());
    } catch (ActivityFailure | CanceledFailure e) {
      log.failed(e);
      Compensations.runDetached(log, "discard-target", saga);
      throw e;
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
