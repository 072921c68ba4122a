package lifeboat.worker.history;

import io.temporal.payload.codec.PayloadCodecException;
import lifeboat.activities.errors.ErrorCode;

/**
 * A history payload that cannot be read or written with the configured key. A PayloadCodecException, since the
 * SDK raises it from inside its data converter; the CLI finds it in the cause chain and prints its one line.
 */
public final class HistoryKeyException extends PayloadCodecException {
  private final ErrorCode code;
  private final String hint;

  public HistoryKeyException(ErrorCode code, String message, String hint) {
    super(message);
    this.code = code;
    this.hint = hint;
  }

  public ErrorCode code() {
    return code;
  }

  /** "message [CODE] HINT: hint", the one line a user sees. */
  public String userMessage() {
    return getMessage() + " [" + code + "] HINT: " + hint;
  }
}
