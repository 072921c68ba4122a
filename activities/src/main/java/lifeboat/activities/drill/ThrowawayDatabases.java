package lifeboat.activities.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * Fresh databases {@code lifeboat_drill_<id>} on a PostgreSQL server (a drill server, or a throwaway cluster),
 * made and dropped through its maintenance database. Names are checked by {@link DrillPlaces} before they get
 * here, and quoted anyway.
 */
final class ThrowawayDatabases {
  private ThrowawayDatabases() {}

  /**
   * Creates the database, dropping it first if it exists: a name carries its drill's id, so an existing one
   * is what an earlier attempt of this same drill made (perhaps half restored).
   */
  static void recreate(String maintenanceUrl, String password, String name) {
    DbConnection server = DbConnection.postgres(maintenanceUrl, password);
    try (Connection c = Jdbc.open(server); Statement st = c.createStatement()) {
      if (exists(c, name)) {
        st.execute(dropSql(c, name));
      }
      st.execute("CREATE DATABASE " + quote(name));
    } catch (SQLException e) {
      throw failed("cannot create database " + name + " on " + server.display(), e, server);
    }
  }

  /** Drops it even while sessions are open (a smoke check left hanging); quiet when it does not exist. */
  static boolean drop(String maintenanceUrl, String password, String name) {
    DbConnection server = DbConnection.postgres(maintenanceUrl, password);
    try (Connection c = Jdbc.open(server); Statement st = c.createStatement()) {
      if (!exists(c, name)) {
        return false;
      }
      st.execute(dropSql(c, name));
      return true;
    } catch (SQLException e) {
      throw failed("cannot drop database " + name + " on " + server.display(), e, server);
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** WITH (FORCE) ends the database's sessions in the same statement (PostgreSQL 13+); older servers first. */
  private static String dropSql(Connection c, String name) throws SQLException {
    if (c.getMetaData().getDatabaseMajorVersion() >= 13) {
      return "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)";
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, name);
      ps.executeQuery().close();
    }
    return "DROP DATABASE IF EXISTS " + quote(name);
  }

  private static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static LifeboatException failed(String what, SQLException e, DbConnection server) {
    boolean denied = "42501".equals(e.getSQLState());
    return new LifeboatException(denied ? ErrorCode.PERMISSION_DENIED : ErrorCode.DRILL_TARGET_FAILED,
        Redactor.redact(what + ": " + e.getMessage(), server.password()),
        denied ? "the drill server's user needs CREATEDB (ALTER ROLE ... CREATEDB), and must own the drill databases"
            : "retried; check the drill server's log");
  }
}
