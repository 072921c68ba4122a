package lifeboat.workflows.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionStringsTest {

  @Test
  void tellsUrlsFromPathsAndFindsPasswords() {
    assertTrue(ConnectionStrings.isPostgresUrl("postgresql://app@db:5432/app"));
    assertTrue(ConnectionStrings.isPostgresUrl("postgres://app@db/app"));
    assertFalse(ConnectionStrings.isPostgresUrl("/var/lib/notes.db"));
    assertTrue(ConnectionStrings.containsPassword("postgresql://app:s3cret@db:5432/app"));
    assertFalse(ConnectionStrings.containsPassword("postgresql://app@db:5432/app"));
    assertFalse(ConnectionStrings.containsPassword("postgresql://db:5432/app"), "a port is not a password");
  }
}
