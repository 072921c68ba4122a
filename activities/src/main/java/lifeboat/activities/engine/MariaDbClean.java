package lifeboat.activities.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * Empties one database for a restore with clean: drops every view, table, sequence, procedure, function and
 * event in it (triggers go with their tables), with foreign key checks off for the session. The dump's own
 * DROP ... IF EXISTS covers only the objects the backup has; a table a failed migration added would otherwise
 * stay, and a pre-migration rollback must leave exactly the backup.
 *
 * <p>Why objects one by one and not DROP DATABASE + CREATE DATABASE: the database never stops existing (an
 * application connecting meanwhile sees an empty database, not "Unknown database"), its character set,
 * collation and comment stay as they are without being read and rewritten, and the restore user needs only
 * privileges on that database, not the server-wide right to create it again.
 */
final class MariaDbClean {
  private MariaDbClean() {}

  /** Returns how many objects it dropped. */
  static int dropEverything(DbConnection db) {
    try (Connection c = MariaDbEngine.connect(db); Statement st = c.createStatement()) {
      List<String> drops = new ArrayList<>();
      // views first: a view over a table goes before the table
      collect(st, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
          + " ORDER BY TABLE_TYPE = 'VIEW' DESC, TABLE_NAME", rs -> switch (rs.getString(2)) {
            case "VIEW" -> "DROP VIEW IF EXISTS " + quote(rs.getString(1));
            case "SEQUENCE" -> "DROP SEQUENCE IF EXISTS " + quote(rs.getString(1));
            default -> "DROP TABLE IF EXISTS " + quote(rs.getString(1));
          }, drops);
      collect(st, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA ="
          + " DATABASE() AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')",
          rs -> "DROP " + rs.getString(1) + " IF EXISTS " + quote(rs.getString(2)), drops);
      collect(st, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
          rs -> "DROP EVENT IF EXISTS " + quote(rs.getString(1)), drops);
      st.execute("SET SESSION foreign_key_checks = 0");
      for (String drop : drops) {
        st.execute(drop);
      }
      return drops.size();
    } catch (SQLException e) {
      if (e.getErrorCode() == 0 || e.getErrorCode() >= 2000) {
        throw MariaDbErrors.fromConnect(e, db);
      }
      throw new LifeboatException(e.getErrorCode() == 1044 || e.getErrorCode() == 1142 || e.getErrorCode() == 1370
          ? ErrorCode.PERMISSION_DENIED : ErrorCode.RESTORE_FAILED,
          Redactor.redact("cannot empty " + db.display() + " for a clean restore: " + e.getMessage(), db.password()),
          "the restore user needs DROP (and ALTER ROUTINE, EVENT) on the target database; the target may be "
              + "partly emptied: fix the cause and restore again with clean");
    }
  }

  private interface Row {
    String drop(ResultSet rs) throws SQLException;
  }

  private static void collect(Statement st, String sql, Row row, List<String> into) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        into.add(row.drop(rs));
      }
    }
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
