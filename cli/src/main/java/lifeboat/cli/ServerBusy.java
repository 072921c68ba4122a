package lifeboat.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A real Temporal server under load answers a poll that overlaps the workflow's own work with RESOURCE_EXHAUSTED
 * ("Workflow is busy"). That says nothing about the workflow, which goes on: a command that waits asks again
 * rather than reporting a failure (it once made `approve` exit 1 after the answer was recorded).
 */
public final class ServerBusy {
  private ServerBusy() {}

  /** RESOURCE_EXHAUSTED anywhere in the causes. */
  public static boolean is(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  /** Waits a moment before the next poll. */
  public static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the workflow", e);
    }
  }
}
