package lifeboat.activities.failover;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.activities.migration.ShellCommand;
import lifeboat.workflows.failover.FenceResult;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.FenceSpec;

/**
 * Fences the old primary after the promotion. Over SQL a server cannot be stopped, so the SQL fence makes it
 * refuse writes: default_transaction_read_only = on through ALTER SYSTEM (it survives a restart) and a
 * reload, then the end of every other client session, so no open session keeps writing under the old
 * setting. A session can still SET it off again: this stops applications, not a determined superuser; the
 * configured command (stop the service, cut it off the network) is the real fence and runs as well, even when
 * the server does not answer (it may act on the machine, not on PostgreSQL).
 */
final class Fencing {
  private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ",
      "SSH_AUTH_SOCK");
  private final Map<String, String> workerEnv;

  Fencing(Map<String, String> workerEnv) {
    this.workerEnv = workerEnv;
  }

  FenceResult fence(DbConnection db, FenceSpec spec) {
    boolean reachable;
    boolean readOnly = false;
    int ended = 0;
    Long timeline = null;
    Boolean inRecovery = null;
    String sqlMessage;
    try (Connection c = Jdbc.open(db)) {
      reachable = true;
      inRecovery = Promotion.inRecovery(c);
      timeline = ServerProbe.timeline(c, inRecovery);
      if (Boolean.TRUE.equals(spec.readOnly())) {
        ended = refuseWrites(c);
        readOnly = awaitReadOnly(db);
        sqlMessage = readOnly ? "default_transaction_read_only = on, " + ended + " client sessions ended"
            : "ALTER SYSTEM done, but a new session still is not read-only";
      } else {
        sqlMessage = "reachable; readOnly: false, so nothing changed over SQL";
      }
    } catch (LifeboatException e) {
      if (e.code() != ErrorCode.DATABASE_UNREACHABLE) {
        throw e;
      }
      reachable = false;
      sqlMessage = "unreachable, not fenced over SQL";
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.PERMISSION_DENIED, Redactor.redact("fencing " + db.display()
          + " failed: " + e.getMessage(), db.password()),
          "the runbook's primary user must be a superuser (ALTER SYSTEM, pg_terminate_backend)");
    }
    Integer exit = null;
    String output = null;
    if (spec.command() != null && !spec.command().isBlank()) {
      ShellCommand.Outcome outcome = ShellCommand.run(spec.command(), Path.of("/"), environment(),
          Durations.parse(spec.timeout()));
      exit = outcome.timedOut() ? -1 : outcome.exitCode();
      output = Redactor.redact(outcome.tail(), db.password());
    }
    String commandMessage = exit == null ? "" : exit == 0 ? "; fence command succeeded"
        : "; fence command FAILED (exit " + exit + ")";
    return new FenceResult(db.url(), reachable, readOnly, ended, timeline, inRecovery, exit, output,
        sqlMessage + commandMessage);
  }

  private static int refuseWrites(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("ALTER SYSTEM SET default_transaction_read_only = on");
      st.execute("SELECT pg_reload_conf()");
      try (ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The reload reaches new sessions a moment later: a fresh session must see the setting. */
  private static boolean awaitReadOnly(DbConnection db) throws SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      try (Connection c = Jdbc.open(db); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SHOW default_transaction_read_only")) {
        rs.next();
        if ("on".equals(rs.getString(1))) {
          return true;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    INHERITED.forEach(name -> {
      if (workerEnv.get(name) != null) {
        env.put(name, workerEnv.get(name));
      }
    });
    return env;
  }
}
