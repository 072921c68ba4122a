package lifeboat.activities.testing;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Which {@link PostgresBackend} {@link PgCluster#start()} uses, from the environment variable
 * {@value #ENV}:
 * <ul>
 *   <li>unset: local binaries when initdb/pg_ctl are installed (CI, and any machine with Debian's
 *       {@code postgresql}); otherwise a container if a Docker engine answers; otherwise local anyway, so the
 *       failure names the missing package.</li>
 *   <li>{@code local}: local binaries, never Docker.</li>
 *   <li>{@code testcontainers}: a {@code postgres:15} container, even when local binaries exist.</li>
 * </ul>
 * Docker is probed only when the answer depends on it: probing costs seconds and log noise, and CI has no engine.
 */
enum PostgresBackendChoice {
  LOCAL,
  CONTAINER;

  static final String ENV = "LIFEBOAT_TEST_POSTGRES";
  private static final String TESTCONTAINERS_PROBE = "org.testcontainers.DockerClientFactory";

  /** Pure: the choice for an env value, whether local server binaries exist, and (lazily) whether Docker runs. */
  static PostgresBackendChoice choose(String envValue, boolean localServerBinaries, BooleanSupplier dockerAvailable) {
    String value = envValue == null ? "" : envValue.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "":
        return localServerBinaries || !dockerAvailable.getAsBoolean() ? LOCAL : CONTAINER;
      case "local":
        return LOCAL;
      case "testcontainers":
        return CONTAINER;
      default:
        throw new IllegalArgumentException(ENV + "=" + envValue
            + ": expected \"local\" or \"testcontainers\", or unset (local binaries, else Docker)");
    }
  }

  /** The choice for this JVM's environment. */
  static PostgresBackendChoice fromEnvironment() {
    return choose(System.getenv(ENV), LocalPostgres.serverBinariesPresent(),
        () -> testcontainersOnClasspath() && ContainerPostgres.dockerAvailable());
  }

  /**
   * Testcontainers is a test dependency of the activities module only; worker and CLI tests get PgCluster
   * through the activities test-jar, without it. Checked before any class that links against it is touched.
   */
  static boolean testcontainersOnClasspath() {
    try {
      Class.forName(TESTCONTAINERS_PROBE, false, PostgresBackendChoice.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
