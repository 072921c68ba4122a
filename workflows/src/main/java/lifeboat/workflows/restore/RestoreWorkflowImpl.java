package lifeboat.workflows.restore;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.model.WorkflowProgress;

/** The checksum is verified in its own step, so a corrupt object fails before the target is touched. */
public class RestoreWorkflowImpl implements RestoreWorkflow {
  private final RestoreActivities steps = Workflow.newActivityStub(RestoreActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public RestoreResult restore(RestoreRequest request) {
    try {
      BackupManifest manifest =
          log.run("resolve-backup", () -> steps.resolveBackup(request.database(), request.backup()));
      log.run("check-target", () -> steps.checkTarget(request));
      log.run("verify-checksum", () -> steps.verifyChecksum(manifest));
      if (request.globals()) {
        // Only when asked: histories of restores without it keep their steps, so replay stays deterministic.
        log.run("restore-globals", () -> steps.restoreGlobals(request, manifest));
      }
      RestoreResult result = log.run("restore-into-target", () -> steps.restoreIntoTarget(request, manifest));
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
