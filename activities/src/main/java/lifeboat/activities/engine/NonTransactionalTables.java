package lifeboat.activities.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * The audit before a MariaDB dump: --single-transaction only gives a consistent view of tables whose engine
 * takes part in transactions; MyISAM, Aria, MEMORY, CSV, ARCHIVE... are read as they are at that moment, so a
 * dump during writes is silently inconsistent. The engines come from information_schema.ENGINES, not from a
 * list here, so a plugin engine is judged by what the server says of it.
 */
final class NonTransactionalTables {
  private static final String SQL = "SELECT t.TABLE_NAME, t.ENGINE FROM information_schema.TABLES t"
      + " JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE"
      + " WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' AND e.TRANSACTIONS <> 'YES'"
      + " ORDER BY t.TABLE_NAME";

  private NonTransactionalTables() {}

  /** "name (ENGINE)" of each such table of the database, sorted; empty when all are transactional. */
  static List<String> of(Connection c, String database) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(SQL)) {
      st.setString(1, database);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1) + " (" + rs.getString(2) + ")");
        }
      }
    }
    return found;
  }

  static LifeboatException refusal(String database, List<String> tables) {
    return new LifeboatException(ErrorCode.NON_TRANSACTIONAL_TABLES, "database " + database + " has "
        + tables.size() + " table" + (tables.size() == 1 ? "" : "s") + " whose engine ignores transactions: "
        + String.join(", ", tables) + "; --single-transaction would copy them outside the dump's snapshot",
        "convert them (ALTER TABLE name ENGINE=InnoDB), or set allowNonTransactional: true on the database to "
            + "dump under a read lock (writes wait while it runs; docs/mariadb.md)");
  }
}
