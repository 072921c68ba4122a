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

  /**
   * The workflow's history as JSON with every payload's base64 "data" decoded next to it, so a secret cannot
   * hide in an encoded payload: what tests search for passwords and keys.
   */
  static String readable(WorkflowClient client, String workflowId) {
    String json = client.fetchHistory(workflowId).toJson(true);
    StringBuilder out = new StringBuilder(json);
    // The JSON printer writes base64's padding "=" as \u003d: a pattern without it skipped every padded payload.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data\":\\s*\"((?:[A-Za-z0-9+/=]++|\\\\u003d)++)\"")
        .matcher(json);
    int decoded = 0;
    while (m.find()) {
      out.append('\n').append(new String(java.util.Base64.getDecoder().decode(m.group(1).replace("\\u003d", "=")),
          java.nio.charset.StandardCharsets.UTF_8));
      decoded++;
    }
    org.junit.jupiter.api.Assertions.assertTrue(decoded > 0, "payloads were found and decoded");
    return out.toString();
  }

  /** The result of the first completed activity of {@code activityType} in the workflow's history. */
  static <T> T activityResult(WorkflowClient client, String workflowId, String activityType, Class<T> type) {
    var events = client.fetchHistory(workflowId).getEvents();
    for (var e : events) {
      if (e.hasActivityTaskCompletedEventAttributes()
          && typeOf(events, e.getActivityTaskCompletedEventAttributes().getScheduledEventId()).equals(activityType)) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
            Optional.of(e.getActivityTaskCompletedEventAttributes().getResult()), type, type);
      }
    }
    throw new AssertionError(workflowId + " completed no " + activityType);
  }

  /** How an activity finally failed: its failure type (the error code), and on which attempt. */
  record ActivityFailed(String type, boolean nonRetryable, int attempt, String message) {}

  /** The first failed activity of {@code activityType} in the workflow's history. */
  static ActivityFailed activityFailure(WorkflowClient client, String workflowId, String activityType) {
    var events = client.fetchHistory(workflowId).getEvents();
    for (var e : events) {
      if (e.hasActivityTaskFailedEventAttributes()) {
        var failed = e.getActivityTaskFailedEventAttributes();
        if (typeOf(events, failed.getScheduledEventId()).equals(activityType)) {
          // The server records one started event, of the last attempt: its number counts the retries.
          int attempt = events.stream().filter(x -> x.getEventId() == failed.getStartedEventId()).findFirst()
              .orElseThrow().getActivityTaskStartedEventAttributes().getAttempt();
          var failure = failed.getFailure();
          return new ActivityFailed(failure.getApplicationFailureInfo().getType(),
              failure.getApplicationFailureInfo().getNonRetryable(), attempt, failure.getMessage());
        }
      }
    }
    throw new AssertionError(workflowId + " has no failed " + activityType);
  }

  /** Every activity type the workflow scheduled, in order. */
  static java.util.List<String> scheduledActivities(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.hasActivityTaskScheduledEventAttributes())
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
  }

  private static String typeOf(java.util.List<io.temporal.api.history.v1.HistoryEvent> events, long scheduledId) {
    return events.stream().filter(x -> x.getEventId() == scheduledId).findFirst().orElseThrow()
        .getActivityTaskScheduledEventAttributes().getActivityType().getName();
  }
}
