package lifeboat.activities.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * {@link ThrowawayDatabases} for MariaDB: databases {@code lifeboat_drill_<id>} made and dropped on a MariaDB
 * server (a drill server, or a drill's own mariadbd) through another of its databases. Names are checked by
 * {@link DrillPlaces} before they get here, and quoted anyway.
 */
final class MariaDbDrillDatabases {
  private MariaDbDrillDatabases() {}

  /** Creates the database, dropping first what an earlier attempt of this same drill made. */
  static void recreate(String serverUrl, String password, String name) {
    DbConnection server = DbConnection.mariadb(serverUrl, password);
    try (Connection c = Jdbc.open(server); Statement st = c.createStatement()) {
      endSessions(c, name);
      st.execute("DROP DATABASE IF EXISTS " + quote(name));
      st.execute("CREATE DATABASE " + quote(name));
    } catch (SQLException e) {
      throw failed("cannot create database " + name + " on " + server.display(), e, server);
    }
  }

  /** Drops it, first ending its sessions (a smoke check left hanging would hold DROP); false when absent. */
  static boolean drop(String serverUrl, String password, String name) {
    DbConnection server = DbConnection.mariadb(serverUrl, password);
    try (Connection c = Jdbc.open(server); Statement st = c.createStatement()) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      endSessions(c, name);
      st.execute("DROP DATABASE IF EXISTS " + quote(name));
      return true;
    } catch (SQLException e) {
      throw failed("cannot drop database " + name + " on " + server.display(), e, server);
    }
  }

  private static void endSessions(Connection c, String name) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> connection_id()")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    try (Statement st = c.createStatement()) {
      for (long id : ids) {
        try {
          st.execute("KILL " + id);
        } catch (SQLException gone) {
          // it ended meanwhile
        }
      }
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static LifeboatException failed(String what, SQLException e, DbConnection server) {
    boolean denied = e.getErrorCode() == 1044 || e.getErrorCode() == 1045 || e.getErrorCode() == 1227;
    return new LifeboatException(denied ? ErrorCode.PERMISSION_DENIED : ErrorCode.DRILL_TARGET_FAILED,
        Redactor.redact(what + ": " + e.getMessage(), server.password()),
        denied ? "the drill server's user needs CREATE and DROP on lifeboat\\_drill\\_% (GRANT ALL ON"
            + " `lifeboat\\_drill\\_%`.* TO ...)" : "retried; check the drill server's log");
  }
}
