package lifeboat.activities.pitr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.workflows.pitr.RecoveryOutcome;
import lifeboat.workflows.pitr.RecoveryPlan;

/**
 * Recovers the unpacked base backup to the plan's target: recovery settings into postgresql.auto.conf, a
 * recovery.signal, the server started in the background, then polled until it has promoted (or stopped). What
 * it reports comes from the server: its log's "recovery stopping" line and the last transaction it replayed,
 * checked against the target.
 *
 * <p>A time target after the archive's last transaction: PostgreSQL stops with "recovery ended before configured
 * recovery target was reached", since no later commit tells it the target has passed. All the archived WAL is
 * then older than the target, so its end is the database as it was at the target: the server is started again
 * without the time target and the outcome says {@code endOfArchive}.
 */
final class Recovery {
  static final String LOG = "lifeboat_recovery.log";
  private static final String NOT_REACHED = "recovery ended before configured recovery target was reached";
  /** The first line of the settings {@link #prepare} writes. */
  private static final String TARGET_SETTINGS = "# lifeboat restore to ";
  /** The first line of the settings that restart recovery to the archive's end. */
  private static final String TO_THE_END = "# lifeboat: the target is past the archive's last transaction";

  private Recovery() {}

  static RecoveryOutcome run(RecoveryPlan plan, DbConnection source, Runnable heartbeat) {
    Path dir = Path.of(plan.dir());
    LocalCluster cluster = new LocalCluster(dir, ErrorCode.RECOVERY_FAILED);
    Path log = dir.resolve(LOG);
    if (!cluster.isRunning(heartbeat)) {
      prepare(dir, cluster, plan);
      cluster.startInBackground(log, heartbeat);
    }
    DbConnection restored = onPort(source, plan.port());
    // A retry (its worker died) that finds the server an earlier attempt restarted to the archive's end: the
    // outcome must still say so. A retry that prepared again has put the target back, after that restart.
    boolean endOfArchive = restartedToTheEnd(dir);
    while (true) {
      heartbeat.run();
      sleep();
      if (!cluster.isRunning(heartbeat)) {
        String tail = tail(log);
        if (plan.targetTime() && !endOfArchive && tail.contains(NOT_REACHED)) {
          cluster.appendAutoSettings(TO_THE_END + "\nrecovery_target_time = ''");
          endOfArchive = true;
          cluster.startInBackground(log, heartbeat);
          continue;
        }
        throw new LifeboatException(ErrorCode.RECOVERY_FAILED, "the server recovering " + plan.database() + " in "
            + dir + " stopped: " + lastLines(tail, 4), "its log is " + log + "; the restore empties " + dir);
      }
      Boolean inRecovery = inRecovery(restored);
      if (Boolean.FALSE.equals(inRecovery)) {
        break;
      }
    }
    RecoveryOutcome outcome = outcome(restored, tail(log), endOfArchive);
    check(plan, outcome);
    LocalCluster.deleteTree(dir.resolve(RecoveryPlanner.STAGING));
    return outcome;
  }

  /** The settings that make the unpacked backup recover to the target and listen on the plan's port only. */
  private static void prepare(Path dir, LocalCluster cluster, RecoveryPlan plan) {
    try {
      // A Debian cluster keeps its configuration in /etc: its base backup has none, and the server needs one.
      if (!Files.exists(dir.resolve("postgresql.conf"))) {
        Files.writeString(dir.resolve("postgresql.conf"), "# written by lifeboat restore: the backup had none\n");
      }
      if (!Files.exists(dir.resolve("pg_hba.conf"))) {
        Files.writeString(dir.resolve("pg_hba.conf"), "# written by lifeboat restore: the backup had none\n"
            + "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n");
      }
      Files.deleteIfExists(dir.resolve("standby.signal"));
      Files.deleteIfExists(dir.resolve("postmaster.pid"));
      Files.writeString(dir.resolve("recovery.signal"), "");
      lifeboat.activities.postgres.ServerPrograms.handOverTree(dir);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot prepare " + dir + " for recovery: " + e.getMessage(),
          "retried");
    }
    cluster.appendAutoSettings(TARGET_SETTINGS + plan.target() + "\n" + String.join("\n", plan.settings())
        + "\nport = " + plan.port() + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
        + "archive_mode = 'off'\nhot_standby = 'on'\nlogging_collector = 'off'");
  }

  /** Whether the last recovery settings in DIR are the restart to the archive's end, not the target's. */
  private static boolean restartedToTheEnd(Path dir) {
    String auto = tail(dir.resolve("postgresql.auto.conf"));
    return auto.lastIndexOf(TO_THE_END) > auto.lastIndexOf(TARGET_SETTINGS);
  }

  /** The source database's connection, on the recovered cluster: same user, password and database. */
  static DbConnection onPort(DbConnection source, int port) {
    PgUrls.PgUrl url = PgUrls.parse(source.url());
    return DbConnection.postgres("postgresql://" + url.user() + "@127.0.0.1:" + port + "/" + url.database(),
        source.password() != null ? source.password() : url.password());
  }

  /** Whether the server is still in recovery; null while it does not accept connections yet. */
  private static Boolean inRecovery(DbConnection db) {
    try (Connection c = Jdbc.open(db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException | LifeboatException e) {
      return null;
    }
  }

  private static RecoveryOutcome outcome(DbConnection db, String log, boolean endOfArchive) {
    try (Connection c = Jdbc.open(db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("select pg_last_xact_replay_timestamp()::text,"
             + " pg_last_wal_replay_lsn()::text")) {
      rs.next();
      String stopped = log.lines().filter(l -> l.contains("recovery stopping")).reduce((a, b) -> b)
          .map(l -> l.substring(l.indexOf("recovery stopping")))
          .orElse(endOfArchive || log.contains("archive recovery complete") ? "recovered to the end of the archive"
              : null);
      String last = rs.getString(1);
      return new RecoveryOutcome(stopped, last == null ? null : RecoveryTimes.iso(last), rs.getString(2), endOfArchive);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.RECOVERY_FAILED, "the recovered server does not answer: "
          + e.getMessage(), "read its log");
    }
  }

  /** The server must say it stopped at the target, and must not have replayed a commit after a time target. */
  private static void check(RecoveryPlan plan, RecoveryOutcome outcome) {
    boolean hasTarget = plan.settings().stream().anyMatch(s -> s.startsWith("recovery_target_time")
        || s.startsWith("recovery_target_lsn") || s.startsWith("recovery_target_name")
        || s.startsWith("recovery_target_xid")
        || s.startsWith("recovery_target ="));
    if (outcome.stoppedAt() == null && hasTarget) {
      throw new LifeboatException(ErrorCode.RECOVERY_FAILED, "the server promoted without stopping at "
          + plan.target() + " (no \"recovery stopping\" in its log)", "read its log; the restore empties " + plan.dir());
    }
    if (plan.targetTime() && outcome.lastTransactionAt() != null) {
      Instant target = RecoveryPlanner.parseTime(targetTimeOf(plan)); // as written for PostgreSQL
      if (Instant.parse(outcome.lastTransactionAt()).isAfter(target)) {
        throw new LifeboatException(ErrorCode.RECOVERY_FAILED, "recovery replayed a transaction committed at "
            + outcome.lastTransactionAt() + ", after " + plan.target(), "read its log; the restore empties "
            + plan.dir());
      }
    }
  }

  private static String targetTimeOf(RecoveryPlan plan) {
    return plan.settings().stream().filter(s -> s.startsWith("recovery_target_time = '")).findFirst()
        .map(s -> s.substring("recovery_target_time = '".length(), s.length() - 1)).orElseThrow();
  }

  private static String tail(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String lastLines(String text, int n) {
    List<String> lines = text.lines().toList();
    return lines.isEmpty() ? "(no server log)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - n),
        lines.size()));
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.RECOVERY_FAILED, "recovery was interrupted", "the restore empties DIR");
    }
  }
}
