package lifeboat.activities.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small DuckDB helpers for tests: run statements, read one value, make a sample database. */
public final class DuckDbFiles {
  private DuckDbFiles() {}

  public static Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:" + file);
  }

  public static void sql(Path file, String... statements) throws SQLException {
    try (Connection c = connect(file); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** The first column of the first row, as text. */
  public static String value(Path file, String query) throws SQLException {
    try (Connection c = connect(file); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * A sample database with what an analytical file holds: typed columns (decimal, timestamp, blob, list, NULLs),
   * a second schema, a view, a sequence, a macro; items has {@code items} rows, schema_version says 5.
   */
  public static Path sample(Path file, int items) throws SQLException {
    sql(file,
        "CREATE TABLE schema_version(v INTEGER); INSERT INTO schema_version VALUES (4), (5)",
        "CREATE TABLE items(id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DECIMAL(10,2), added TIMESTAMP,"
            + " photo BLOB, tags VARCHAR[])",
        "INSERT INTO items SELECT i, 'item ' || i || ' \u00e9', i / 7, TIMESTAMP '2025-01-01' + INTERVAL (i) SECOND,"
            + " sha256(i::VARCHAR)::BLOB, CASE WHEN i % 3 = 0 THEN NULL ELSE ['a', 'b' || i] END"
            + " FROM range(1, " + (items + 1) + ") t(i)",
        "CREATE SCHEMA sales; CREATE TABLE sales.notes(body VARCHAR); INSERT INTO sales.notes VALUES ('a'), (NULL)",
        "CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10",
        "CREATE SEQUENCE ticket START 100",
        "CREATE MACRO twice(x) AS x * 2");
    return file;
  }
}
