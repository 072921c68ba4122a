package lifeboat.worker;

import io.temporal.client.WorkflowStub;
import lifeboat.workflows.model.WorkflowProgress;

/** Waits on a running workflow's progress query, for tests that act while a given step runs. */
final class Progress {
  private Progress() {}

  /** Returns once the workflow's current step is {@code step}; fails after a minute. */
  static void awaitStep(WorkflowStub stub, String step) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (step.equals(stub.query("progress", WorkflowProgress.class).currentStep())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never reached step " + step);
  }
}
