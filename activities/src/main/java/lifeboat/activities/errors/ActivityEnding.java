package lifeboat.activities.errors;

import io.temporal.client.ActivityCompletionException;

/**
 * A worker shutting down or an activity cancelled reaches a step's code as an exception from its heartbeat, in
 * the middle of whatever it reads or writes. That says nothing about the data: a reader that classifies its
 * failures (corrupt backup, failed dump) must let it pass unchanged, or a SIGTERM'd worker would report a good
 * backup as corrupt, and the step would not be retried.
 */
public final class ActivityEnding {
  private ActivityEnding() {}

  /** Throws the worker shutdown or cancellation found among {@code e}'s causes, if there is one. */
  public static void rethrowIfEnding(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ActivityCompletionException ending) {
        throw ending;
      }
    }
  }
}
