package lifeboat.cli.approval;

import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Duration;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Format;
import lifeboat.cli.Temporal;
import lifeboat.workflows.approval.ApprovalDecision;
import lifeboat.workflows.approval.ApprovalOutcome;

/**
 * Sends approve or reject as a Workflow Update, prints the outcome the workflow recorded, then waits for what
 * the answer led to: the workflow's result, or its next question.
 */
final class Answer {
  private Answer() {}

  /**
   * Returns the exit code: 0 when the workflow finished after the answer, 3 when it waits for a person again or
   * had already finished before it; a workflow that fails after the answer throws (exit 1).
   */
  static int send(Temporal t, String workflowId, String update, ApprovalDecision decision, PrintWriter out,
      PrintWriter err) {
    ApprovalOutcome outcome;
    try {
      outcome = t.client().newUntypedWorkflowStub(workflowId).update(update, ApprovalOutcome.class, decision);
    } catch (WorkflowUpdateException e) {
      // The validator refused it: nothing was recorded.
      Throwable cause = e.getCause();
      String why = cause instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(cause);
      throw new IllegalArgumentException("refused by " + workflowId + ": " + why);
    } catch (WorkflowNotFoundException e) {
      // An update cannot reach a finished workflow either: say that, not "no such workflow".
      WorkflowExecutionInfo info = describe(t, workflowId);
      if (info == null || !info.hasCloseTime()) {
        throw e;
      }
      err.println("lifeboat: " + workflowId + " has already finished (" + statusName(info) + "): nothing waits for an"
          + " answer; see `lifeboat status " + workflowId + "`");
      err.flush();
      return ExitCodes.UNEXPECTED_STATE;
    }
    boolean mine = decision.by().equals(outcome.by()) && (decision.choice() == null
        || decision.choice().equals(outcome.choice()) || "reject".equals(update));
    out.println((mine ? "recorded: " : "already answered: ") + outcome.step() + " -> " + outcome.choice() + " by "
        + outcome.by() + " (" + outcome.reason() + ") after waiting "
        + Format.millis(Duration.ofMillis(outcome.waitedMillis()).toMillis()));
    out.flush();
    // The person who answered wants to see what the answer did, in the same terminal.
    WorkflowExecutionInfo info = describe(t, workflowId);
    ResultSummary<?> summary = info == null ? null : ResultSummaries.of(info.getType().getName());
    if (summary == null) {
      return ExitCodes.OK;
    }
    return summary.awaitAndPrint(t, workflowId, out) == null ? ExitCodes.UNEXPECTED_STATE : ExitCodes.OK;
  }

  /** The workflow's type and state; null when the server does not know it. */
  private static WorkflowExecutionInfo describe(Temporal t, String workflowId) {
    try {
      return t.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(t.client().getOptions().getNamespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build()).getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  /** "completed", "failed", ... */
  private static String statusName(WorkflowExecutionInfo info) {
    return info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase();
  }
}
