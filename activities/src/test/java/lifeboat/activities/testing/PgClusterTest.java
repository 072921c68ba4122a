package lifeboat.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The fixture itself: start, JDBC with the password, crash and restart, a standby, cleanup. Runs on either
 * backend: here (CI, LIFEBOAT_TEST_POSTGRES unset, local binaries installed) on local binaries; with
 * LIFEBOAT_TEST_POSTGRES=testcontainers on a machine with Docker, in a container, where the local-only
 * operations must fail clearly instead.
 */
class PgClusterTest {

  @Test
  void lifecycle() throws Exception {
    String jdbc;
    String password;
    try (PgCluster pg = PgCluster.start()) {
      // CI (variable unset, binaries installed) must get a local cluster; a laptop with the variable, a container
      assertEquals(PostgresBackendChoice.fromEnvironment() == PostgresBackendChoice.LOCAL, pg.isLocal(),
          pg.toString());
      jdbc = pg.jdbc("postgres");
      password = pg.password();
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
      assertThrows(IllegalStateException.class, () -> pg.exec("app", "SELECT 1"));
      pg.startServer();
      assertEquals("2", pg.exec("app", "SELECT count(*) FROM t"));
      if (pg.isLocal()) {
        localOnly(pg);
      } else {
        for (Executable op : List.<Executable>of(pg::dataDir, pg::logFile, pg::postmasterPid,
            () -> PgCluster.startStandbyOf(pg))) {
          UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, op);
          assertTrue(e.getMessage().contains("container"), e.getMessage());
        }
      }
    }
    assertThrows(Exception.class, () -> DriverManager.getConnection(jdbc, "postgres", password).close());
  }

  /** A standby and the data directory's removal. */
  private static void localOnly(PgCluster pg) throws Exception {
    Path data = pg.dataDir();
    assertTrue(Files.isDirectory(data));
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
    pg.close();
    assertFalse(Files.exists(data));
  }
}
