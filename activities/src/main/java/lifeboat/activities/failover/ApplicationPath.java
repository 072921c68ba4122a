package lifeboat.activities.failover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.failover.VerifyResult;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RepointSpec;

/**
 * Connects the way the application does and proves the server behind it takes writes: not in recovery, and a
 * real table created, written, read back and dropped in one committed transaction (a temporary table would
 * succeed on a read-only server), so no probe object is ever left in production.
 */
final class ApplicationPath {
  private ApplicationPath() {}

  /** spec.application, or for PgBouncer the admin console's host and port with the entry and the standby's user. */
  static DbConnection connection(FailoverSpec spec, Secrets secrets) {
    if (spec.application() != null) {
      return Endpoints.resolve(spec.application(), secrets, "failover.application");
    }
    RepointSpec r = spec.repoint();
    if (r == null || !RepointSpec.PGBOUNCER.equals(r.type()) || r.admin() == null || r.database() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "no failover.application: how does the application"
          + " connect?", "write failover.application: { url: \"postgresql://app@host:port/db\", password: env:NAME }");
    }
    PgUrls.PgUrl admin = PgUrls.parse(r.admin().url());
    String user = PgUrls.parse(spec.standby().url()).user();
    String url = "postgresql://" + user + "@" + admin.hosts().get(0) + "/" + r.database();
    return Endpoints.resolve(new FailoverEndpoint(url, spec.standby().password()), secrets, "failover.standby");
  }

  static VerifyResult verify(DbConnection db) {
    long t0 = System.nanoTime();
    try (Connection c = Jdbc.open(db); Statement st = c.createStatement()) {
      long connected = ServerProbe.millisSince(t0);
      long t1 = System.nanoTime();
      String server;
      try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), inet_server_addr()::text || ':' ||"
          + " inet_server_port()")) {
        rs.next();
        server = rs.getString(2);
        if (rs.getBoolean(1)) {
          throw new LifeboatException(ErrorCode.FAILOVER_VERIFY_FAILED, "through " + db.display()
              + " the server (" + server + ") is still in recovery", "the repoint has not taken effect yet, or "
              + "points at a standby; the step is retried");
        }
      }
      String table = "lifeboat_failover_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      // One transaction that creates, writes, reads back and drops its table, then commits: the commit proves
      // the server takes durable writes (a synchronous-standby wait would show here), and whatever fails, the
      // rollback leaves nothing behind in the application's database.
      c.setAutoCommit(false);
      try {
        st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        st.execute("INSERT INTO " + table + " (id) VALUES (1)");
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          if (rs.getInt(1) != 1) {
            throw new SQLException("wrote one row, read back " + rs.getInt(1));
          }
        }
        st.execute("DROP TABLE " + table);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      long wrote = ServerProbe.millisSince(t1);
      return new VerifyResult(db.url(), server, connected, wrote, ServerProbe.millisSince(t0));
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.FAILOVER_VERIFY_FAILED, Redactor.redact("a write through "
          + db.display() + " failed: " + e.getMessage(), db.password()),
          "read-only? (the new primary must not be fenced) permissions? the step is retried");
    }
  }
}
