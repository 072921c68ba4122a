package lifeboat.activities.support;

import java.io.UncheckedIOException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exceptions that are not Lifeboat's, at an activity's edge: an I/O error becomes IO_FAILED, anything else
 * UNEXPECTED_ERROR, both retried as the step's policy says, with a hint; the stack trace goes to the worker's log
 * with its messages redacted, as the history's are (a driver's message could quote a connection string).
 */
final class UnexpectedErrors {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrors.class);

  private UnexpectedErrors() {}

  static LifeboatException of(RuntimeException e) {
    LOG.warn("activity failed with an exception Lifeboat does not know", redacted(e));
    if (e instanceof UncheckedIOException io) {
      return new LifeboatException(ErrorCode.IO_FAILED, "I/O failed: " + Redactor.redact(String.valueOf(
          io.getCause().getMessage())), "a local file could not be read or written (space, permissions, a"
          + " network file system): the message names it; the step is retried");
    }
    return new LifeboatException(ErrorCode.UNEXPECTED_ERROR, e.getClass().getSimpleName() + ": "
        + Redactor.redact(String.valueOf(e.getMessage())),
        "not an error Lifeboat knows: the worker's log has its stack trace; the step is retried as configured."
        + " If it persists, report it with that trace");
  }

  /** The same stack trace for the log, its messages redacted: a driver's message may quote a connection string. */
  private static Throwable redacted(Throwable e) {
    RuntimeException copy = new RuntimeException(Redactor.redact(e.toString()),
        e.getCause() == null ? null : redacted(e.getCause()));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
