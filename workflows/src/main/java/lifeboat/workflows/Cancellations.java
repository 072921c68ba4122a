package lifeboat.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.CancellationScope;

/**
 * Whether a failure caught in workflow code is the workflow being cancelled. A cancelled activity or child does
 * not arrive as a CanceledFailure but as an ActivityFailure (ChildWorkflowFailure) whose cause is one, so
 * {@code catch (CanceledFailure e)} alone misses it; and a step may fail for its own reason after the
 * cancellation was asked for, which is still a cancelled run, not a failed one.
 */
public final class Cancellations {
  private Cancellations() {}

  /** @param e the failure caught, or null to ask only whether the workflow is being cancelled */
  public static boolean isCancellation(Throwable e) {
    return e instanceof CanceledFailure
        || ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.getCause() instanceof CanceledFailure)
        || CancellationScope.current().isCancelRequested();
  }
}
