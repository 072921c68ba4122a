package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;

/**
 * What the application sees through PgBouncer when the failover repoints it, with two real servers: clients
 * still on the old server are dropped, and new clients reach the new one at once, even when PgBouncer has
 * been failing to log in to the dead old server and would otherwise refuse them for server_login_retry.
 */
class PgBouncerRepointTest {
  private static final int LOGIN_RETRY_SECONDS = 60;

  @Test
  void newClientsReachTheNewServerAtOnceThoughLoginsToTheDeadOneWereFailing() throws Exception {
    try (PgCluster old = PgCluster.start(); PgCluster next = PgCluster.start()) {
      appDatabasesWithOnePassword(old, next);
      try (PgBouncer bouncer = PgBouncer.startFor(old, LOGIN_RETRY_SECONDS)) {
        old.killPostmaster();
        // PgBouncer's logins to the dead server fail: it now holds the entry's new clients back until
        // server_login_retry has passed since the last failure, whatever the entry points at
        assertThrows(SQLException.class, () -> connect(bouncer, old, 2).close());
        assertThrows(SQLException.class, () -> connect(bouncer, old, 2).close());

        steps(old, bouncer).repoint(spec(old, next, bouncer), endpoint(next));

        try (Connection c = connect(bouncer, old, LOGIN_RETRY_SECONDS / 4)) {
          assertEquals(next.port(), serverPort(c), "a new client lands on the new server");
        }
      }
    }
  }

  @Test
  void clientsStillOnTheOldServerAreDroppedAndReconnectToTheNewOne() throws Exception {
    try (PgCluster old = PgCluster.start(); PgCluster next = PgCluster.start()) {
      appDatabasesWithOnePassword(old, next);
      try (PgBouncer bouncer = PgBouncer.startFor(old, LOGIN_RETRY_SECONDS);
           Connection held = connect(bouncer, old)) {
        assertEquals(old.port(), serverPort(held));

        steps(old, bouncer).repoint(spec(old, next, bouncer), endpoint(next));

        // session pooling would keep this client on the old server for as long as it stays connected
        assertThrows(SQLException.class, () -> serverPort(held));
        try (Connection again = connect(bouncer, old)) {
          assertEquals(next.port(), serverPort(again));
        }
      }
    }
  }

  @Test
  void aNewPrimaryGivenByItsIpv6AddressIsWrittenBareIntoTheIniAndReached() throws Exception {
    try (PgCluster old = PgCluster.start(); PgCluster next = PgCluster.startLocal("-c listen_addresses=127.0.0.1,::1")) {
      appDatabasesWithOnePassword(old, next);
      try (PgBouncer bouncer = PgBouncer.startFor(old, LOGIN_RETRY_SECONDS)) {
        FailoverEndpoint v6 = new FailoverEndpoint("postgresql://postgres@[::1]:" + next.port() + "/app", "env:PG_PW");
        FailoverSpec spec = new FailoverSpec(endpoint(old), v6, null, spec(old, next, bouncer).repoint(), null, null,
            null, "30s");

        var r = steps(old, bouncer).repoint(spec, v6);

        assertEquals("host=::1 port=" + next.port() + " dbname=app", r.current());
        assertTrue(bouncer.databaseRow("app").startsWith("app|::1|" + next.port() + "|"), bouncer.databaseRow("app"));
        try (Connection c = connect(bouncer, old);
             ResultSet rs = c.createStatement().executeQuery("SELECT host(inet_server_addr()), inet_server_port()")) {
          rs.next();
          assertEquals("::1", rs.getString(1));
          assertEquals(next.port(), rs.getInt(2));
        }
      }
    }
  }

  /**
   * Database "app" on both; the new server gets the old one's password, since PgBouncer logs in with the one
   * in its auth_file (as with a promoted standby, whose password is its primary's).
   */
  private static void appDatabasesWithOnePassword(PgCluster old, PgCluster next) {
    next.createDatabase(PgBouncer.DATABASE);
    old.createDatabase(PgBouncer.DATABASE);
    next.exec("postgres", "ALTER USER postgres PASSWORD '" + old.password() + "'");
  }

  private static FailoverActivitiesImpl steps(PgCluster old, PgBouncer bouncer) {
    return new FailoverActivitiesImpl(() -> new Secrets(Map.of("PG_PW", old.password(),
        "PGB_ADMIN_PW", bouncer.adminPassword()), Path.of("/")), Map.of(), new Route53Target());
  }

  private static FailoverEndpoint endpoint(PgCluster c) {
    return new FailoverEndpoint(c.url(PgBouncer.DATABASE), "env:PG_PW");
  }

  private static FailoverSpec spec(PgCluster old, PgCluster next, PgBouncer bouncer) {
    return new FailoverSpec(endpoint(old), endpoint(next), null,
        RepointSpec.pgbouncer(bouncer.iniFile().toString(), PgBouncer.DATABASE,
            new FailoverEndpoint(bouncer.adminUrl(), "env:PGB_ADMIN_PW")), null, null, null, "30s");
  }

  private static Connection connect(PgBouncer bouncer, PgCluster old) throws SQLException {
    return connect(bouncer, old, 10);
  }

  /** A client of PgBouncer's entry that gives up when it has not logged in within {@code seconds}. */
  private static Connection connect(PgBouncer bouncer, PgCluster old, int seconds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", old.password());
    props.setProperty("loginTimeout", "" + seconds);
    return DriverManager.getConnection(bouncer.jdbc(), props);
  }

  private static int serverPort(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
