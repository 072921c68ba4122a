package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Optional;

/** Reads what a workflow's history recorded, for tests that check the effects of a step. */
final class Histories {
  private Histories() {}

  /**
   * With -Dlifeboat.recordHistories=DIR, writes the workflow's history as DIR/NAME.json for WorkflowReplayTest.
   * Re-record only after a deliberate, versioned change of workflow code; a replay failure otherwise means a
   * determinism break.
   */
  static void record(WorkflowClient client, String workflowId, String name) {
    String out = System.getProperty("lifeboat.recordHistories");
    if (out == null) {
      return;
    }
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(out).resolve(name + ".json"),
          client.fetchHistory(workflowId).toJson(true));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The result of the first completed activity of {@code activityType} in the workflow's history. */
  static <T> T activityResult(WorkflowClient client, String workflowId, String activityType, Class<T> type) {
    var events = client.fetchHistory(workflowId).getEvents();
    for (var e : events) {
      if (e.hasActivityTaskCompletedEventAttributes()) {
        long scheduled = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        String name = events.stream().filter(x -> x.getEventId() == scheduled).findFirst().orElseThrow()
            .getActivityTaskScheduledEventAttributes().getActivityType().getName();
        if (name.equals(activityType)) {
          return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
              Optional.of(e.getActivityTaskCompletedEventAttributes().getResult()), type, type);
        }
      }
    }
    throw new AssertionError(workflowId + " completed no " + activityType);
  }
}
