package lifeboat.activities.pitr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.pitr.Canaries;

/**
 * The PITR drill's canaries: two rows on the primary around a moment (the server's clock), the first deleted
 * afterwards, so only a restore to that moment has the first and not the second. Each in its own committed
 * transaction: the moment lies strictly between the two commits.
 */
final class CanaryRows {
  private static final Pattern TABLE = Pattern.compile(lifeboat.workflows.runbook.RestoreSpec.CANARY_TABLE_PATTERN);
  /** How far apart the two commits are: the moment is in the middle, so clock resolution never matters. */
  private static final long GAP_MILLIS = 1_000;

  private CanaryRows() {}

  static Canaries write(DbConnection primary, String drillId, String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "canary table '" + table + "' is not schema.table",
          "name it as schema.table in lower case");
    }
    String schema = table.substring(0, table.indexOf('.'));
    String first = drillId + "-first";
    String second = drillId + "-second";
    try (Connection c = Jdbc.open(primary); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id text PRIMARY KEY, written_at timestamptz NOT NULL"
          + " DEFAULT clock_timestamp())");
      st.execute("DELETE FROM " + table + " WHERE written_at < now() - interval '30 days'");
      insert(c, table, first);
      String moment;
      try (ResultSet rs = st.executeQuery("SELECT (clock_timestamp() + interval '" + GAP_MILLIS / 2
          + " milliseconds')::text")) {
        rs.next();
        moment = rs.getString(1);
      }
      sleep(GAP_MILLIS);
      insert(c, table, second);
      String lsn;
      long writtenAt;
      try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text,"
          + " (extract(epoch from clock_timestamp()) * 1000)::bigint")) {
        rs.next();
        lsn = rs.getString(1);
        writtenAt = rs.getLong(2);
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        del.setString(1, first);
        del.executeUpdate();
      }
      return new Canaries(table, first, second, RecoveryTimes.iso(moment), lsn, writtenAt);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.PERMISSION_DENIED, "cannot write the PITR drill's canaries into "
          + table + ": " + e.getMessage(), "the database role needs CREATE on the database (or make " + table
          + " and grant it INSERT and DELETE)");
    }
  }

  private static void insert(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
      st.setString(1, id);
      st.executeUpdate();
    }
  }

  /** The first canary present, the second absent: two results, named for the report. */
  static List<SmokeResult> check(DbConnection recovered, Canaries canaries) {
    try (Connection c = Jdbc.open(recovered);
         PreparedStatement st = c.prepareStatement("SELECT count(*) FILTER (WHERE id = ?), count(*) FILTER"
             + " (WHERE id = ?) FROM " + canaries.table())) {
      st.setString(1, canaries.firstId());
      st.setString(2, canaries.secondId());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        int first = rs.getInt(1);
        int second = rs.getInt(2);
        return List.of(
            new SmokeResult("canary written before the moment", first == 1, "present", first == 1 ? "present"
                : "absent", first == 1 ? "restored" : "the restore lost a row committed before the moment"),
            new SmokeResult("canary written after the moment", second == 0, "absent", second == 0 ? "absent"
                : "present", second == 0 ? "not restored" : "the restore went past the moment"));
      }
    } catch (SQLException e) {
      return List.of(new SmokeResult("canaries", false, "readable", "error", e.getMessage()));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.IO_FAILED, "the canary writes were interrupted", "retried");
    }
  }
}
