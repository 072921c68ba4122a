package lifeboat.activities.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.ConnectionStrings;

/**
 * A read-write JDBC connection to a database, for steps that run SQL of their own (smoke checks, a drill's
 * CREATE DATABASE). Connection failures come back classified (BAD_URL, AUTH_FAILED, DATABASE_UNREACHABLE),
 * with the password redacted.
 */
public final class Jdbc {
  private Jdbc() {}

  public static Connection open(DbConnection db) {
    try {
      if (db.isDuckDb()) {
        return duckdb(db);
      }
      if (db.path() != null) {
        // sqlite-jdbc would create a missing file: a check against an empty new file proves nothing
        if (!Files.exists(Path.of(db.path()))) {
          throw new LifeboatException(ErrorCode.BAD_URL, "SQLite file " + db.path() + " does not exist",
              "restore into it first, or fix the path");
        }
        return DriverManager.getConnection("jdbc:sqlite:" + db.path());
      }
      if (ConnectionStrings.isMariaDbUrl(db.url())) {
        return mariadb(db);
      }
      return postgres(db);
    } catch (SQLException e) {
      if (db.path() != null) {
        throw new LifeboatException(ErrorCode.BAD_URL, "cannot open SQLite file " + db.path() + ": "
            + e.getMessage(), "check that the file is a SQLite database readable by the worker");
      }
      throw PgErrors.fromConnect(e, db);
    }
  }

  /** A DuckDB file, read-write (a drill's restored copy); a missing file is refused, as SQLite's is. */
  private static Connection duckdb(DbConnection db) {
    if (!Files.exists(Path.of(db.path()))) {
      throw new LifeboatException(ErrorCode.BAD_URL, "DuckDB file " + db.path() + " does not exist",
          "restore into it first, or fix the path");
    }
    try {
      return DriverManager.getConnection("jdbc:duckdb:" + db.path());
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.BAD_URL, "cannot open DuckDB file " + db.path() + ": " + e.getMessage(),
          "check that the file is a DuckDB database readable by the worker and that no other process writes it");
    }
  }

  /**
   * A physical replication (walsender) connection to a PostgreSQL server: replication commands only
   * (IDENTIFY_SYSTEM, TIMELINE_HISTORY, START_REPLICATION), over the simple query protocol. Its failures are
   * classified as {@link #open}'s are.
   */
  public static Connection replication(DbConnection db) {
    PgUrls.PgUrl url = PgUrls.parse(db.url());
    java.util.Properties props = PgUrls.jdbcProperties(url, db.password());
    props.setProperty("replication", "true");
    props.setProperty("assumeMinServerVersion", "10");
    props.setProperty("preferQueryMode", "simple");
    try {
      return new org.postgresql.Driver().connect(url.jdbcUrl(), props);
    } catch (SQLException e) {
      throw PgErrors.fromConnect(e, db);
    }
  }

  /** MariaDB through Connector/J; its failures classified by the server's error number (MariaDbErrors). */
  private static Connection mariadb(DbConnection db) {
    try {
      return MariaDbEngine.connect(db);
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, db);
    }
  }

  /** The unclassified PostgreSQL connection: callers that classify errors themselves. */
  static Connection postgres(DbConnection db) throws SQLException {
    PgUrls.PgUrl url = PgUrls.parse(db.url());
    Connection c = new org.postgresql.Driver().connect(url.jdbcUrl(), PgUrls.jdbcProperties(url, db.password()));
    if (c == null) {
      throw new LifeboatException(ErrorCode.BAD_URL, "not a PostgreSQL URL: " + db.display(), PgErrors.URL_HINT);
    }
    return c;
  }
}
