package lifeboat.activities.failover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.failover.PromoteResult;

/**
 * pg_promote(wait => true), then a check that the server really left recovery. A server already out of
 * recovery is reported as such and left alone, so a retry or a second promotion changes nothing.
 */
final class Promotion {
  private Promotion() {}

  static PromoteResult promote(DbConnection db, Duration timeout) {
    long t0 = System.nanoTime();
    try (Connection c = Jdbc.open(db)) {
      if (!inRecovery(c)) {
        return new PromoteResult(db.url(), false, true, ServerProbe.timeline(c, false), ServerProbe.millisSince(t0),
            "already out of recovery: not promoted again");
      }
      boolean done;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_promote(true, ?)")) {
        ps.setInt(1, (int) Math.max(1, timeout.toSeconds()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          done = rs.getBoolean(1);
        }
      } catch (SQLException e) {
        if ("55000".equals(e.getSQLState()) && !inRecovery(c)) {
          // "recovery is not in progress": another promotion (an earlier attempt of this step) won the race
          return new PromoteResult(db.url(), false, true, ServerProbe.timeline(c, false),
              ServerProbe.millisSince(t0), "already out of recovery: not promoted again");
        }
        throw e;
      }
      if (!done || !awaitOutOfRecovery(c, timeout)) {
        throw new LifeboatException(ErrorCode.FAILOVER_PROMOTE_FAILED, db.display() + " is still in recovery "
            + timeout.toSeconds() + " s after pg_promote",
            "read the standby's server log (a missing WAL segment, a full disk); the step is retried");
      }
      return new PromoteResult(db.url(), true, false, ServerProbe.timeline(c, false), ServerProbe.millisSince(t0),
          "promoted: out of recovery after " + ServerProbe.millisSince(t0) + " ms");
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new LifeboatException(ErrorCode.PERMISSION_DENIED, Redactor.redact("cannot promote "
            + db.display() + ": " + e.getMessage(), db.password()),
            "connect as a superuser, or GRANT EXECUTE ON FUNCTION pg_promote TO the runbook's user");
      }
      throw new LifeboatException(ErrorCode.FAILOVER_PROMOTE_FAILED, Redactor.redact("promoting " + db.display()
          + " failed: " + e.getMessage(), db.password()), "read the standby's server log; the step is retried");
    }
  }

  static boolean inRecovery(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static boolean awaitOutOfRecovery(Connection c, Duration timeout) throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inRecovery(c)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the promotion", e);
      }
    }
    return true;
  }
}
