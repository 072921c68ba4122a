package lifeboat.workflows.restore;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.model.WorkflowProgress;

/** Restores one backup: resolve-backup → check-target → verify-checksum → restore-into-target. */
@WorkflowInterface
public interface RestoreWorkflow {

  @WorkflowMethod
  RestoreResult restore(RestoreRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
