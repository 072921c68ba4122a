package lifeboat.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The fixture itself: a client gets through PgBouncer to the cluster, and the admin console answers. */
class PgBouncerTest {

  @Test
  void clientsReachTheClusterThroughItAndTheAdminConsoleShowsTheEntry() throws Exception {
    try (PgCluster pg = PgCluster.start()) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE marker(v text); INSERT INTO marker VALUES ('behind the bouncer')");
      PgBouncer bouncer = PgBouncer.startFor(pg);
      try {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", pg.password());
        try (Connection c = DriverManager.getConnection(bouncer.jdbc(), props);
             ResultSet rs = c.createStatement().executeQuery("SELECT v, inet_server_port() FROM marker")) {
          assertTrue(rs.next());
          assertEquals("behind the bouncer", rs.getString(1));
          assertEquals(pg.port(), rs.getInt(2), "the server PgBouncer connected to");
        }
        String row = bouncer.databaseRow("app");
        assertNotNull(row, String.join("\n", bouncer.showDatabases()));
        assertTrue(row.startsWith("app|127.0.0.1|" + pg.port() + "|app|"), row);
      } finally {
        bouncer.close();
      }
      assertFalse(Files.exists(bouncer.iniFile()), "close removes its directory");
    }
  }
}
