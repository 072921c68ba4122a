package lifeboat.workflows.runbook;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.workflows.errors.WorkflowError;

/** Durations as people write them in runbooks: "90s", "30m", "26h", "7d", or ISO-8601 "PT26H". */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String t = text.strip();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        // an ArithmeticException would escape the callers' IllegalArgumentException handling
        throw new IllegalArgumentException("duration too long: '" + text + "'");
      }
    }
    try {
      return Duration.parse(t);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (write 90s, 30m, 26h, 7d or PT26H)");
    }
  }

  /**
   * For workflow code: a value that does not parse fails the workflow with {@link WorkflowError#RUNBOOK_INVALID} (an
   * ApplicationFailure, not retried). Any other exception thrown by workflow code fails only the workflow
   * task, which the SDK retries forever: the run would hang instead of saying what is wrong.
   *
   * @param field the runbook field, as `lifeboat runbook validate` names it ("restore.rto")
   */
  public static Duration inRunbook(String field, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw WorkflowError.RUNBOOK_INVALID.failure("runbook field '" + field + "': " + e.getMessage());
    }
  }
}
