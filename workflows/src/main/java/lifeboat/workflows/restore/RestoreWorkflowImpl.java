package lifeboat.workflows.restore;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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
  /** The failure type of a replay whose earlier attempt ended half-way (see {@link #replay}). */
  static final String REPLAY_INTERRUPTED = "REPLAY_INTERRUPTED";

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
        result = replay(into, manifest, plan, result);
      }
      log.finished();
      return result;
    } catch (ActivityFailure | CanceledFailure e) {
      log.failed(e);
      throw e;
    }
  }

  /**
   * replay-binlog, and when an attempt of it died half-way (REPLAY_INTERRUPTED: events may be applied already),
   * the dump restored afresh over the target (--clean) and the replay run once more, at most twice: nothing is
   * applied twice, and a killed worker costs time only.
   */
  private RestoreResult replay(RestoreRequest into, BackupManifest manifest, BinlogReplayPlan plan,
      RestoreResult restored) {
    RestoreResult result = restored;
    for (int round = 1; ; round++) {
      try {
        String replayed = log.run("replay-binlog", () -> steps.replayBinlog(into, plan));
        return result.withReplay(replayed);
      } catch (ActivityFailure e) {
        if (round > 2 || !(e.getCause() instanceof ApplicationFailure f) || !REPLAY_INTERRUPTED.equals(f.getType())) {
          throw e;
        }
        RestoreRequest again = into.withClean(true);
        result = log.run("restore-into-target", () -> steps.restoreIntoTarget(again, manifest));
      }
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
