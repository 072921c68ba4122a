package lifeboat.workflows.approval;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * A workflow that can stop and wait for a person. Answers are Workflow Updates, so the caller learns at
 * once whether its answer was accepted: the validators refuse an answer when nothing waits, a choice that is
 * not offered, or a name not among the approvers; an answer after the first gets the first one's outcome.
 */
public interface Approvable {

  @UpdateMethod(name = "approve")
  ApprovalOutcome approve(ApprovalDecision decision);

  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(ApprovalDecision decision);

  @UpdateMethod(name = "reject")
  ApprovalOutcome reject(ApprovalDecision decision);

  @UpdateValidatorMethod(updateName = "reject")
  void validateReject(ApprovalDecision decision);

  /** The step waiting for a person, or null when none is. */
  @QueryMethod(name = "pendingApproval")
  PendingApproval pendingApproval();
}
