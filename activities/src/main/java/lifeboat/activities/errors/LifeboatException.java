package lifeboat.activities.errors;

import io.temporal.failure.ApplicationFailure;

/**
 * An error with a stable code and a hint that says what to do. Messages must never contain a secret:
 * callers pass text that has been through {@link Redactor} where it came from a tool or a driver.
 */
public class LifeboatException extends RuntimeException {
  private final ErrorCode code;
  private final String hint;

  public LifeboatException(ErrorCode code, String message, String hint) {
    this(code, message, hint, null);
  }

  public LifeboatException(ErrorCode code, String message, String hint, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.hint = hint;
  }

  public ErrorCode code() {
    return code;
  }

  public String hint() {
    return hint;
  }

  /** "message (CODE) HINT: hint", the one line a user sees. */
  public String userMessage() {
    return getMessage() + " [" + code + "]" + (hint == null ? "" : " HINT: " + hint);
  }

  /**
   * The failure an activity throws. The cause is deliberately not attached: driver exceptions may quote a
   * connection string, and the failure is stored in workflow history.
   */
  public ApplicationFailure toFailure() {
    return code.userFixable()
        ? ApplicationFailure.newNonRetryableFailure(userMessage(), code.name())
        : ApplicationFailure.newFailure(userMessage(), code.name());
  }
}
