package lifeboat.workflows;

import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;

/**
 * Runs a saga's compensations as one step of the step log, in a detached cancellation scope: cancelling the
 * workflow must not cancel its own clean-up. The saga must be made without {@code continueWithError}: with it,
 * {@link Saga#compensate()} swallows a failed compensation, and nobody learns that something was left behind.
 */
public final class Compensations {
  private Compensations() {}

  /**
   * Returns the compensation's failure, or null when it succeeded. Never throws it: what a failed clean-up
   * means (a lesser error beside the real one, or the drill's failure) is the caller's decision.
   */
  public static RuntimeException runDetached(StepLog log, String step, Saga saga) {
    RuntimeException[] failed = {null};
    Workflow.newDetachedCancellationScope(() -> {
      try {
        log.run(step, saga::compensate);
      } catch (RuntimeException e) {
        failed[0] = e;
      }
    }).run();
    return failed[0];
  }
}
