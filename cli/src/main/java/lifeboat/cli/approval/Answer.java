package lifeboat.cli.approval;

import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
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

/** Sends approve or reject as a Workflow Update and prints the outcome the workflow recorded. */
final class Answer {
  private Answer() {}

  /** Returns the exit code: 0 recorded or already answered, 3 when the workflow has already finished. */
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
      String status = closedStatus(t, workflowId);
      if (status == null) {
        throw e;
      }
      err.println("lifeboat: " + workflowId + " has already finished (" + status + "): nothing waits for an answer;"
          + " see `lifeboat status " + workflowId + "`");
      err.flush();
      return ExitCodes.UNEXPECTED_STATE;
    }
    boolean mine = decision.by().equals(outcome.by()) && (decision.choice() == null
        || decision.choice().equals(outcome.choice()) || "reject".equals(update));
    out.println((mine ? "recorded: " : "already answered: ") + outcome.step() + " -> " + outcome.choice() + " by "
        + outcome.by() + " (" + outcome.reason() + ") after waiting "
        + Format.millis(Duration.ofMillis(outcome.waitedMillis()).toMillis()));
    out.flush();
    return ExitCodes.OK;
  }

  /** "completed", "failed", ... for a workflow that exists and has closed; null when it is unknown or open. */
  private static String closedStatus(Temporal t, String workflowId) {
    try {
      var info = t.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(t.client().getOptions().getNamespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build()).getWorkflowExecutionInfo();
      return info.hasCloseTime()
          ? info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase() : null;
    } catch (StatusRuntimeException e) {
      return null;
    }
  }
}
