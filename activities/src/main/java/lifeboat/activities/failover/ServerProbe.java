package lifeboat.activities.failover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.failover.ProbeResult;

/**
 * One look at a server: whether it answers, whether it is a standby, its timeline, and on a standby how far
 * replay is behind what it received. Any failure to answer becomes an unreachable result, never an exception:
 * the workflow decides what N of them mean.
 */
final class ServerProbe {
  private static final String STATE = """
      SELECT pg_is_in_recovery(),
             CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
             pg_last_wal_receive_lsn()::text,
             pg_last_wal_replay_lsn()::text,
             pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
             extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8,
             (SELECT status FROM pg_stat_wal_receiver LIMIT 1),
             (extract(epoch FROM clock_timestamp()) * 1000)::bigint""";

  private ServerProbe() {}

  static ProbeResult probe(DbConnection db, Duration timeout) {
    long started = System.currentTimeMillis();
    long t0 = System.nanoTime();
    try (Connection c = Endpoints.open(db, timeout); Statement st = c.createStatement()) {
      st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (ResultSet rs = st.executeQuery(STATE)) {
        rs.next();
        boolean inRecovery = rs.getBoolean(1);
        return new ProbeResult(db.url(), true, inRecovery, timeline(c, inRecovery), rs.getString(2),
            rs.getString(3), rs.getString(4), (Long) rs.getObject(5, Long.class),
            (Double) rs.getObject(6, Double.class), rs.getString(7), rs.getLong(8), started, millisSince(t0), null);
      }
    } catch (SQLException | RuntimeException e) {
      return ProbeResult.unreachable(db.url(), started, millisSince(t0),
          Redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage(), db.password()));
    }
  }

  /**
   * A primary's timeline is in the name of its current WAL file; a standby's is the one its receiver
   * streams, else its last checkpoint's (pg_control_checkpoint needs a superuser or pg_monitor-like grant:
   * without one the timeline is unknown, not an error).
   */
  static Long timeline(Connection c, boolean inRecovery) {
    String sql = inRecovery
        ? "SELECT coalesce((SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1),"
            + " (SELECT timeline_id FROM pg_control_checkpoint()))::bigint"
        : "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? (Long) rs.getObject(1, Long.class) : null;
    } catch (SQLException e) {
      return null;
    }
  }

  static long millisSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }
}
