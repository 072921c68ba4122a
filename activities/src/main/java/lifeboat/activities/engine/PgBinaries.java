package lifeboat.activities.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the PostgreSQL client tools: {@code $LIFEBOAT_PG_BINDIR}, else {@code pg_config --bindir}, else the
 * PATH. Debian keeps them in /usr/lib/postgresql/NN/bin, which is not on the PATH.
 */
public final class PgBinaries {
  public static final String BINDIR_ENV = "LIFEBOAT_PG_BINDIR";
  public static final String INSTALL_HINT =
      "install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client), "
          + "or set " + BINDIR_ENV + " to the directory holding pg_dump";

  private static volatile String bindir;
  private static volatile boolean resolved;

  private PgBinaries() {}

  /** The directory holding pg_dump and friends, or null when they are only reachable through the PATH. */
  public static String bindir() {
    if (!resolved) {
      synchronized (PgBinaries.class) {
        if (!resolved) {
          bindir = resolveBindir();
          resolved = true;
        }
      }
    }
    return bindir;
  }

  /** The path of a tool ("pg_dump"), or its bare name to be looked up on the PATH. */
  public static String tool(String name) {
    String dir = bindir();
    return dir == null ? name : Path.of(dir, name).toString();
  }

  private static String resolveBindir() {
    String env = System.getenv(BINDIR_ENV);
    if (env != null && !env.isBlank()) {
      return env;
    }
    String fromPgConfig = pgConfigBindir();
    if (fromPgConfig != null && Files.isExecutable(Path.of(fromPgConfig, "pg_dump"))) {
      return fromPgConfig;
    }
    return null;
  }

  private static String pgConfigBindir() {
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : null;
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
