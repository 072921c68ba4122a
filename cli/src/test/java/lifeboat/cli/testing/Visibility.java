package lifeboat.cli.testing;

import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;

/** Visibility queries in tests: the server indexes a change a moment after it happens, so they poll. */
public final class Visibility {
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private Visibility() {}

  /** True once {@code query} lists {@code workflowId}; false if it still does not after 15 s. */
  public static boolean awaitListed(WorkflowClient client, String query, String workflowId)
      throws InterruptedException {
    return await(client, query, workflowId, true);
  }

  /** True once {@code query} no longer lists {@code workflowId}; false if it still does after 15 s. */
  public static boolean awaitNotListed(WorkflowClient client, String query, String workflowId)
      throws InterruptedException {
    return await(client, query, workflowId, false);
  }

  private static boolean await(WorkflowClient client, String query, String workflowId, boolean listed)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (true) {
      boolean found = client.listExecutions(query)
          .anyMatch(e -> e.getExecution().getWorkflowId().equals(workflowId));
      if (found == listed) {
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      Thread.sleep(200);
    }
  }
}
