package lifeboat.cli.testing;

import java.nio.file.Path;
import java.time.Duration;

/** `lifeboat worker` as a separate process against a LocalStack: the process tests kill and replace it. */
public final class Workers {
  private static final Duration WORKER_START = Duration.ofMinutes(3);

  private Workers() {}

  /** Starts a worker of every role on the home's config and waits until it polls. */
  public static CliProcess start(LocalStack stack, LifeboatHome home) {
    return start(stack, home.config(), "all");
  }

  /** Starts a worker of {@code role} reading {@code config}; closes it again when it does not come up. */
  public static CliProcess start(LocalStack stack, Path config, String role) {
    CliProcess worker = CliProcess.start("worker", "--address", stack.address(), "--config", config.toString(),
        "--role", role);
    try {
      worker.awaitOutput(") polling ", WORKER_START);
      return worker;
    } catch (RuntimeException | AssertionError e) {
      worker.close();
      throw e;
    }
  }
}
