package lifeboat.activities.migration;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Heartbeats from a side thread while a body that cannot report progress runs (a Flyway migration busy in
 * one long statement, a command that prints nothing), so a killed worker is noticed within the heartbeat
 * timeout while a live one is never mistaken for dead. When the heartbeat itself fails (the activity was
 * cancelled or timed out on the server), the body's thread is interrupted and that failure is thrown.
 */
public final class Heartbeating {
  static final long EVERY_MILLIS = 2_000;

  private Heartbeating() {}

  public static <T> T during(Runnable heartbeat, Supplier<T> body) {
    Thread worker = Thread.currentThread();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "migration-heartbeat");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      try {
        heartbeat.run();
      } catch (RuntimeException e) {
        if (failed.compareAndSet(null, e)) {
          worker.interrupt();
        }
        throw e; // stops the schedule
      }
    }, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
    try {
      T result = body.get();
      if (failed.get() != null) {
        throw failed.get();
      }
      return result;
    } catch (RuntimeException e) {
      throw failed.get() != null ? failed.get() : e;
    } finally {
      timer.shutdownNow();
      if (failed.get() != null) {
        Thread.interrupted(); // our interrupt was meant for the body: it must not leak into the next task
      }
    }
  }
}
