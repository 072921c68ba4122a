package lifeboat.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The fixture itself: start, JDBC with the password, crash and restart, a standby, cleanup. */
class PgClusterTest {

  @Test
  void lifecycle() throws Exception {
    Path data;
    try (PgCluster pg = PgCluster.start()) {
      data = pg.dataDir();
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE t(x int); INSERT INTO t VALUES (1), (2)");
      try (Connection c = DriverManager.getConnection(pg.jdbc("app"), pg.user(), pg.password());
           ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertEquals(2, rs.getInt(1));
      }
      assertThrows(Exception.class, () -> DriverManager.getConnection(pg.jdbc("app"), "postgres", "wrong"));
      assertFalse(pg.url("app").contains(pg.password()));

      pg.killPostmaster();
      assertThrows(IllegalStateException.class, () -> pg.exec("app", "SELECT 1"));
      pg.startServer();
      assertEquals("2", pg.exec("app", "SELECT count(*) FROM t"));

      pg.stopServer();
      pg.startServer();
      try (PgCluster standby = PgCluster.startStandbyOf(pg)) {
        assertEquals("t", standby.exec("app", "SELECT pg_is_in_recovery()"));
        pg.exec("app", "INSERT INTO t VALUES (3)");
        String count = "";
        for (int i = 0; i < 100 && !count.equals("3"); i++) {
          count = standby.exec("app", "SELECT count(*) FROM t");
          Thread.sleep(50);
        }
        assertEquals("3", count);
      }
    }
    assertFalse(Files.exists(data));
  }
}
