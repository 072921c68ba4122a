package lifeboat.cli.testing;

import java.time.Duration;

/** `lifeboat worker` as a separate process against a LocalStack: the process tests kill and replace it. */
public final class Workers {
  private static final Duration WORKER_START = Duration.ofMinutes(3);

  private Workers() {}

  /** Starts a worker and waits until it polls; closes it again when it does not come up. */
  public static CliProcess start(LocalStack stack, LifeboatHome home) {
    CliProcess worker = CliProcess.start("worker", "--address", stack.address(), "--config", home.config().toString());
    try {
      worker.awaitOutput(") polling ", WORKER_START);
      return worker;
    } catch (RuntimeException | AssertionError e) {
      worker.close();
      throw e;
    }
  }
}
