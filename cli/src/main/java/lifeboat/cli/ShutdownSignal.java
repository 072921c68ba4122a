package lifeboat.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM for a long-running command (dev, worker). The JVM halts as soon as its shutdown hooks return,
 * so the hook waits until the command has closed what it opened (the worker, the dev server it started, whose
 * SQLite file must be closed cleanly): open this first in try-with-resources, so it closes last.
 */
final class ShutdownSignal implements AutoCloseable {
  private static final long CLEANUP_SECONDS = 40;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  ShutdownSignal() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        cleanedUp.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "lifeboat-shutdown"));
  }

  /** Blocks until the process is asked to stop. */
  void await() throws InterruptedException {
    stop.await();
  }

  @Override
  public void close() {
    cleanedUp.countDown();
  }
}
