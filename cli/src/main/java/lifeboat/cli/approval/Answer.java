package lifeboat.cli.approval;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Duration;
import lifeboat.cli.Format;
import lifeboat.cli.Temporal;
import lifeboat.workflows.approval.ApprovalDecision;
import lifeboat.workflows.approval.ApprovalOutcome;

/** Sends approve or reject as a Workflow Update and prints the outcome the workflow recorded. */
final class Answer {
  private Answer() {}

  static void send(Temporal t, String workflowId, String update, ApprovalDecision decision, PrintWriter out) {
    ApprovalOutcome outcome;
    try {
      outcome = t.client().newUntypedWorkflowStub(workflowId).update(update, ApprovalOutcome.class, decision);
    } catch (WorkflowUpdateException e) {
      // The validator refused it: nothing was recorded.
      Throwable cause = e.getCause();
      String why = cause instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(cause);
      throw new IllegalArgumentException("refused by " + workflowId + ": " + why);
    }
    boolean mine = decision.by().equals(outcome.by()) && (decision.choice() == null
        || decision.choice().equals(outcome.choice()) || "reject".equals(update));
    out.println((mine ? "recorded: " : "already answered: ") + outcome.step() + " -> " + outcome.choice() + " by "
        + outcome.by() + " (" + outcome.reason() + ") after waiting "
        + Format.millis(Duration.ofMillis(outcome.waitedMillis()).toMillis()));
    out.flush();
  }
}
