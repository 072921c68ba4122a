package lifeboat.workflows.failover;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.approval.Approvable;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * confirm-primary-down → check-standby → await-promotion-approval → promote-standby → fence-old-primary →
 * repoint-application → verify-application-path → check-schema → await-rebuild-approval → rebuild-old-primary
 * → write-timeline. A primary that answers any probe stops it: no failover on a flap.
 */
@WorkflowInterface
public interface FailoverWorkflow extends Approvable {
  String CHOICE_PROMOTE = "promote";
  String CHOICE_REJECT = "reject";
  String CHOICE_REBUILD = "rebuild";
  String CHOICE_SKIP = "skip";

  @WorkflowMethod
  FailoverResult failover(FailoverRequest request);

  @QueryMethod
  WorkflowProgress progress();

  /** The incident timeline so far, as Markdown. */
  @QueryMethod
  String timeline();
}
