package lifeboat.workflows.approval;

import io.temporal.workflow.Workflow;
import lifeboat.workflows.activities.NotifyActivities;

/**
 * The {@link Approvable} half of a workflow implementation that waits for people: every Update and the query
 * go to one {@link ApprovalGate}, which the workflow's steps use through {@link #gate}.
 */
public abstract class GatedWorkflow implements Approvable {
  protected final ApprovalGate gate = new ApprovalGate(Workflow.newActivityStub(NotifyActivities.class));

  @Override
  public ApprovalOutcome approve(ApprovalDecision decision) {
    return gate.answer(decision, false);
  }

  @Override
  public void validateApprove(ApprovalDecision decision) {
    gate.validate(decision, false);
  }

  @Override
  public ApprovalOutcome reject(ApprovalDecision decision) {
    return gate.answer(decision, true);
  }

  @Override
  public void validateReject(ApprovalDecision decision) {
    gate.validate(decision, true);
  }

  @Override
  public PendingApproval pendingApproval() {
    return gate.pending();
  }
}
