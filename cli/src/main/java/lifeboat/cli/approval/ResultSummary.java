package lifeboat.cli.approval;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import lifeboat.cli.Temporal;

/**
 * How one workflow type's result is told, so the command that starts it, `approve`/`reject` and `status` print
 * the same words. What a waiting workflow asks, and how to answer it, comes from the wait itself
 * ({@code PendingApproval.answerCommand}).
 */
public record ResultSummary<R>(Class<R> resultType, Function<R, String> text) {

  /**
   * Waits for the result (see {@link ResultOrWait}) and prints it; returns it, or null when the workflow waits
   * for a person (what it asks was printed instead). A failed workflow throws, as getResult does.
   */
  public R awaitAndPrint(Temporal t, String workflowId, PrintWriter out) {
    R result = ResultOrWait.await(t, workflowId, resultType, out);
    if (result != null) {
      out.println(text.apply(result));
    }
    out.flush();
    return result;
  }

  /** The summary of a workflow that has completed: its result is stored, so this does not wait. */
  public String ofCompleted(Temporal t, String workflowId) {
    try {
      return text.apply(t.client().newUntypedWorkflowStub(workflowId).getResult(30, TimeUnit.SECONDS, resultType));
    } catch (TimeoutException e) {
      throw new IllegalStateException(workflowId + " has completed, yet its result did not arrive in 30 s", e);
    }
  }
}
