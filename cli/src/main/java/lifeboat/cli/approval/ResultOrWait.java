package lifeboat.cli.approval;

import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.cli.ServerBusy;
import lifeboat.cli.Temporal;
import lifeboat.workflows.approval.PendingApproval;

/**
 * Waits for a workflow that may stop for a person: its result, or, once it waits for an answer (which may take
 * hours), null after printing what it asks and the command that answers it. The workflow goes on either way.
 */
public final class ResultOrWait {
  private ResultOrWait() {}

  public static <R> R await(Temporal t, String workflowId, Class<R> resultType, PrintWriter out) {
    WorkflowStub stub = t.client().newUntypedWorkflowStub(workflowId);
    while (true) {
      try {
        return stub.getResult(2, TimeUnit.SECONDS, resultType);
      } catch (WorkflowServiceException e) {
        if (!ServerBusy.is(e)) {
          throw e;
        }
        ServerBusy.pause();
      } catch (TimeoutException e) {
        PendingApproval p = PendingApprovals.of(t, workflowId);
        if (p != null) {
          out.println("WAITING FOR APPROVAL: " + p.question());
          out.println("answer with: " + p.answerCommand(workflowId));
          return null;
        }
      }
    }
  }
}
