package lifeboat.worker.history;

import java.util.Optional;
import lifeboat.activities.errors.ErrorCode;

/**
 * Turns what the SDK throws when a history payload cannot be read into Lifeboat's one line: the codec's own
 * {@link HistoryKeyException} (wrong key, altered payload), or the default converter meeting an encrypted payload
 * it has no codec for (a client or worker without {@code history.encryptionKey}).
 */
public final class HistoryKeyErrors {
  /** What the SDK's default converter says about an encoding it has no converter for, ours among them. */
  private static final String NO_CONVERTER = "No PayloadConverter is registered for an encoding: "
      + AesGcmPayloadCodec.ENCODING;

  private HistoryKeyErrors() {}

  /** The user's line for a history key problem in {@code e}'s cause chain, or empty when there is none. */
  public static Optional<String> userMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HistoryKeyException k) {
        return Optional.of(k.userMessage());
      }
    }
    return keyMissing(e) ? Optional.of(missing().userMessage()) : Optional.empty();
  }

  /** Whether {@code e} is the default converter refusing an encrypted payload. */
  public static boolean keyMissing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(NO_CONVERTER)) {
        return true;
      }
    }
    return false;
  }

  static HistoryKeyException missing() {
    return new HistoryKeyException(ErrorCode.HISTORY_KEY_MISSING,
        "this workflow's history is encrypted and no history key is configured here",
        "set history.encryptionKey in the lifeboat.yaml this command reads (--config, LIFEBOAT_CONFIG or"
            + " ./lifeboat.yaml), the same key the workers use");
  }
}
