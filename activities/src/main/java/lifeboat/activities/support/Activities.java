package lifeboat.activities.support;

import io.temporal.activity.Activity;
import java.util.function.Supplier;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;

/** What every activity implementation does at its edge. */
public final class Activities {
  private static final long HEARTBEAT_EVERY_MILLIS = 2_000;

  private Activities() {}

  /**
   * Runs an activity body, turning a {@link LifeboatException} into the Temporal failure that carries its
   * stable code as the failure type (so the retry policy can refuse to retry what a user must fix), and any
   * other exception into one with a code and a hint too ({@link UnexpectedErrors}): no step fails with a bare
   * Java class name. Temporal's own (a failure, a cancellation) pass as they are.
   */
  public static <T> T guard(Supplier<T> body) {
    try {
      return body.get();
    } catch (LifeboatException e) {
      throw e.toFailure();
    } catch (io.temporal.failure.TemporalException e) { // ApplicationFailure, ActivityCompletionException (cancelled)
      throw e;
    } catch (RuntimeException e) {
      throw UnexpectedErrors.of(e).toFailure();
    }
  }

  public static void guard(Runnable body) {
    guard(() -> {
      body.run();
      return null;
    });
  }

  /** Byte progress that heartbeats the running activity, so a dead worker is noticed quickly. */
  public static Progress heartbeatProgress() {
    var context = Activity.getExecutionContext();
    return new Progress(context::heartbeat, HEARTBEAT_EVERY_MILLIS);
  }
}
