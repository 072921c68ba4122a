package lifeboat.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import lifeboat.workflows.SearchAttributes;
import lifeboat.worker.TemporalCliServer;

/**
 * A real Temporal server for tests: the Temporal CLI's dev server on free ports, headless, its SQLite state in
 * a temp folder (or one the test names, to restart on it). The CLI comes from $LIFEBOAT_TEMPORAL_CLI or the PATH;
 * without it the test fails with how to install it (`.ci/run` does): a skipped durability test proves nothing.
 */
public final class RealTemporal {
  private RealTemporal() {}

  public static Path cli() {
    String env = System.getenv("LIFEBOAT_TEMPORAL_CLI");
    Optional<Path> found = TemporalCliServer.findCli(env == null || env.isBlank() ? null : Path.of(env));
    return found.orElseThrow(() -> new AssertionError("no `temporal` CLI on the PATH; this test needs a real"
        + " Temporal server. HINT: " + TemporalCliServer.INSTALL_HINT));
  }

  /** A fresh server with its own temp state folder. */
  public static TemporalCliServer start() {
    try {
      return start(Files.createTempDirectory("lifeboat-temporal"), Ports.free());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on {@code state} (reused when it holds a database) and {@code port}. */
  public static TemporalCliServer start(Path state, int port) {
    return TemporalCliServer.start(
        new TemporalCliServer.Settings(cli(), state, port, 0, SearchAttributes.TYPES, null));
  }
}
