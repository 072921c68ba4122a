package lifeboat.workflows.restore;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.model.WorkflowProgress;

/** The checksum is verified in its own step, so a corrupt object fails before the target is touched. */
public class RestoreWorkflowImpl implements RestoreWorkflow {
  /** MariaDB point-in-time restores (plan-binlog-replay, replay-binlog) began here. */
  static final String BINLOG_REPLAY = "binlog-replay";

  private final RestoreActivities steps = Workflow.newActivityStub(RestoreActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public RestoreResult restore(RestoreRequest request) {
    try {
      BinlogReplayPlan plan = null;
      BackupManifest manifest;
      if (request.toTime() != null) {
        // Only requests with a point in time take this branch; histories without one replay as they ran.
        Workflow.getVersion(BINLOG_REPLAY, Workflow.DEFAULT_VERSION, 1);
        plan = log.run("plan-binlog-replay", () -> steps.planBinlogReplay(request));
        manifest = plan.backup();
      } else {
        manifest = log.run("resolve-backup", () -> steps.resolveBackup(request.database(), request.backup()));
      }
      RestoreRequest into = plan == null ? request : request.withBackup(manifest.backupId());
      log.run("check-target", () -> steps.checkTarget(into));
      log.run("verify-checksum", () -> steps.verifyChecksum(manifest));
      if (request.globals()) {
        // Only when asked: histories of restores without it keep their steps, so replay stays deterministic.
        log.run("restore-globals", () -> steps.restoreGlobals(into, manifest));
      }
      RestoreResult result = log.run("restore-into-target", () -> steps.restoreIntoTarget(into, manifest));
      if (plan != null) {
        result = result.withReplay(BinlogReplays.replayOnce(log, steps, into, manifest, plan));
      }
      log.finished();
      return result;
    } catch (ActivityFailure | CanceledFailure e) {
      log.failed(e);
      throw e;
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
