package lifeboat.activities.testing;

import static lifeboat.activities.testing.PostgresBackendChoice.CONTAINER;
import static lifeboat.activities.testing.PostgresBackendChoice.LOCAL;
import static lifeboat.activities.testing.PostgresBackendChoice.choose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The backend choice, without Docker: the container path itself only runs where a Docker engine exists (see
 * docs/testing.md); here we prove when it would be taken, and that Docker is not probed when it cannot matter.
 */
class PostgresBackendChoiceTest {
  private static final BooleanSupplier DOCKER = () -> true;
  private static final BooleanSupplier NO_DOCKER = () -> false;
  private static final BooleanSupplier MUST_NOT_PROBE = () -> {
    throw new AssertionError("Docker probed although the answer does not depend on it");
  };

  @Test
  void unsetPrefersLocalBinariesWithoutProbingDocker() {
    assertEquals(LOCAL, choose(null, true, MUST_NOT_PROBE));
    assertEquals(LOCAL, choose("", true, MUST_NOT_PROBE));
    assertEquals(LOCAL, choose("  ", true, MUST_NOT_PROBE));
  }

  @Test
  void unsetFallsBackToDockerOnlyWhenLocalBinariesAreMissing() {
    assertEquals(CONTAINER, choose(null, false, DOCKER));
    // neither: local, so the failure names the missing PostgreSQL package
    assertEquals(LOCAL, choose(null, false, NO_DOCKER));
  }

  @Test
  void explicitValuesWinAndNeverProbe() {
    assertEquals(CONTAINER, choose("testcontainers", true, MUST_NOT_PROBE));
    assertEquals(CONTAINER, choose(" TestContainers ", false, MUST_NOT_PROBE));
    assertEquals(LOCAL, choose("local", false, MUST_NOT_PROBE));
    assertEquals(LOCAL, choose("LOCAL", true, MUST_NOT_PROBE));
  }

  @Test
  void unknownValueIsRejectedWithTheAcceptedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> choose("docker", true, MUST_NOT_PROBE));
    assertTrue(e.getMessage().contains("LIFEBOAT_TEST_POSTGRES=docker"), e.getMessage());
    assertTrue(e.getMessage().contains("testcontainers"), e.getMessage());
  }

  @Test
  void thisBuildSeesTestcontainers() {
    // activities declares it as a test dependency; worker/cli do not, and PgCluster checks before touching it
    assertTrue(PostgresBackendChoice.testcontainersOnClasspath());
  }
}
