package lifeboat.activities.binlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbEngine;
import lifeboat.activities.engine.MariaDbErrors;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.pitr.Canaries;

/**
 * A MariaDB PITR drill's canaries: two rows in a table of the database itself (the binlog replay keeps only the
 * database's own statements), the first committed in one second of the server's clock, the second two seconds
 * later, then the first deleted. The binlog stamps events to the second, so the moment is the middle of the
 * second between them: a restore to it has the first and not the second.
 */
final class MariaDbCanaries {
  private MariaDbCanaries() {}

  /** "lifeboat.pitr_canary" becomes lifeboat_pitr_canary: a MariaDB schema would be another database. */
  static String table(String runbookTable) {
    return runbookTable.replace('.', '_');
  }

  static Canaries write(DbConnection db, String drillId, String runbookTable) {
    String table = table(runbookTable);
    String first = drillId + "-first";
    String second = drillId + "-second";
    try (Connection c = MariaDbEngine.connect(db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id varchar(200) PRIMARY KEY, written_at datetime(6) NOT"
          + " NULL DEFAULT now(6)) ENGINE=InnoDB");
      st.execute("DELETE FROM " + table + " WHERE written_at < now() - INTERVAL 30 DAY");
      insert(c, table, first);
      long firstSecond = (long) Math.floor(serverSeconds(st));
      // The second commit waits for the server's clock to pass two whole seconds: the moment's second is then
      // one no canary event is stamped with.
      while (serverSeconds(st) < firstSecond + 2.05) {
        Thread.sleep(50);
      }
      insert(c, table, second);
      String position;
      long writtenAt;
      try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
        if (!rs.next()) {
          throw new LifeboatException(ErrorCode.CONFIG_INVALID, "the binary log of " + db.display() + " is off",
              "a MariaDB PITR drill replays the binlog: start the server with log_bin");
        }
        position = rs.getString(1) + ":" + rs.getLong(2);
      }
      writtenAt = (long) (serverSeconds(st) * 1000);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        del.setString(1, first);
        del.executeUpdate();
      }
      Instant moment = Instant.ofEpochSecond(firstSecond + 1).plusMillis(500);
      return new Canaries(table, first, second, moment.toString(), position, writtenAt, "mariadb");
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, db);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.DATABASE_UNREACHABLE, "interrupted while writing canaries", "retried");
    }
  }

  private static void insert(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
      st.setString(1, id);
      st.executeUpdate();
    }
  }

  private static double serverSeconds(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT UNIX_TIMESTAMP(NOW(6))")) {
      rs.next();
      return rs.getDouble(1);
    }
  }
}
