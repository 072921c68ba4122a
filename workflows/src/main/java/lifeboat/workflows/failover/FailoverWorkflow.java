package lifeboat.workflows.failover;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.approval.Approvable;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * confirm-primary-down → check-standby → await-promotion-approval → promote-standby → fence-old-primary →
 * repoint-application → verify-application-path → check-schema → await-rebuild-approval → rebuild-old-primary
 * → write-timeline. A primary that answers any probe stops it: no failover on a flap. A step past the promotion
 * (fence, repoint, verify) that fails waits for a person (await-retry-STEP): retry runs it again, abandon ends
 * the failover failed.
 */
@WorkflowInterface
public interface FailoverWorkflow extends Approvable {
  String CHOICE_PROMOTE = "promote";
  String CHOICE_REJECT = "reject";
  String CHOICE_REBUILD = "rebuild";
  String CHOICE_SKIP = "skip";
  /** After a step past the promotion failed: run it again (the cause is fixed), or end the failover failed. */
  String CHOICE_RETRY = "retry";
  String CHOICE_ABANDON = "abandon";

  @WorkflowMethod
  FailoverResult failover(FailoverRequest request);

  @QueryMethod
  WorkflowProgress progress();

  /** The incident timeline so far, as Markdown. */
  @QueryMethod
  String timeline();
}
