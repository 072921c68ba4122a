package lifeboat.cli;

import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a workflow that failed and are being retried, from the server's DescribeWorkflowExecution
 * (each pending activity's attempt, last failure and next attempt time): a backup against a stopped database
 * retries for minutes, and without this `--wait` and `status` showed nothing meanwhile.
 */
public final class Retries {
  private Retries() {}

  /**
   * One retrying step.
   *
   * @param step           the activity type in the CLI's spelling (DumpToRepository: dump-to-repository)
   * @param failedAttempt  the attempt whose failure this is
   * @param code           the failure's error code (its type), e.g. DATABASE_UNREACHABLE
   * @param message        the failure's message, without its code and hint
   * @param hint           what to do, or null
   * @param nextAttemptAt  when the next attempt starts (ISO-8601), or null when it is running now
   */
  public record Retry(String step, int failedAttempt, String code, String message, String hint,
      String nextAttemptAt) {

    /** What the step is and what happened, without the attempt or the time: a new line is due when it changes. */
    String error() {
      return step + " " + code + " " + message;
    }

    /** {@code dump-to-repository: attempt 3 failed: DUMP_FAILED: ... HINT: ...; next try in 20 s}. */
    public String line(Instant now) {
      String next;
      if (nextAttemptAt == null) {
        next = "attempt " + (failedAttempt + 1) + " running";
      } else {
        long seconds = Math.max(0, (Duration.between(now, Instant.parse(nextAttemptAt)).toMillis() + 999) / 1000);
        next = "next try in " + seconds + " s";
      }
      return step + ": attempt " + failedAttempt + " failed: " + (code == null ? "" : code + ": ") + message
          + (hint == null ? "" : " HINT: " + hint) + "; " + next;
    }
  }

  /** Every pending step with a failed attempt behind it; decoded with {@code converter} (history may be encrypted). */
  public static List<Retry> of(DescribeWorkflowExecutionResponse described, DataConverter converter) {
    List<Retry> retries = new ArrayList<>();
    for (PendingActivityInfo activity : described.getPendingActivitiesList()) {
      if (!activity.hasLastFailure() || activity.getAttempt() < 2) {
        continue;
      }
      String code = null;
      String text;
      RuntimeException failure = converter.failureToException(activity.getLastFailure());
      if (failure instanceof ApplicationFailure af) {
        code = af.getType();
        text = af.getOriginalMessage();
      } else if (failure instanceof TemporalFailure tf) {
        text = tf.getOriginalMessage(); // a timeout: a worker that died mid-step
      } else {
        text = failure.getMessage();
      }
      String hint = null;
      int at = text == null ? -1 : text.indexOf(" HINT: ");
      if (at >= 0) {
        hint = text.substring(at + " HINT: ".length());
        text = text.substring(0, at);
      }
      if (code != null && text != null) {
        text = text.replace(" [" + code + "]", ""); // Lifeboat's one-line form carries the code already
      }
      // A real server says when the next attempt starts; the in-memory one never does, and shows the step as
      // started meanwhile, so that attempt is described as running.
      boolean waiting = activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED
          && activity.hasNextAttemptScheduleTime();
      retries.add(new Retry(step(activity.getActivityType().getName()), activity.getAttempt() - 1, code,
          String.valueOf(text).strip(), hint,
          waiting ? Instant.ofEpochSecond(activity.getNextAttemptScheduleTime().getSeconds(),
              activity.getNextAttemptScheduleTime().getNanos()).toString() : null));
    }
    return retries;
  }

  /** Whether this pending step waits out a retry backoff (so it is not "queued", waiting for a worker). */
  static boolean inBackoff(PendingActivityInfo activity) {
    return activity.hasLastFailure() && activity.hasNextAttemptScheduleTime()
        && Instant.ofEpochSecond(activity.getNextAttemptScheduleTime().getSeconds()).isAfter(Instant.now());
  }

  /** DumpToRepository: dump-to-repository. */
  static String step(String activityType) {
    return activityType.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
