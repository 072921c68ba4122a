package lifeboat.activities.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small SQLite helpers for tests: run statements, count rows, make a sample database. */
public final class SqliteFiles {
  private SqliteFiles() {}

  public static Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  public static void sql(Path file, String... statements) throws SQLException {
    try (Connection c = connect(file); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.executeUpdate(statement);
      }
    }
  }

  public static long count(Path file, String table) throws SQLException {
    try (Connection c = connect(file); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A sample database: items (n rows, indexed) and notes (3 rows). */
  public static Path sample(Path file, int items) throws SQLException {
    sql(file,
        "create table items(id integer primary key, name text not null)",
        "create index items_name on items(name)",
        "with recursive g(n) as (select 1 union all select n + 1 from g where n < " + items + ")"
            + " insert into items(name) select 'item ' || n from g",
        "create table notes(body text)",
        "insert into notes values ('a'), ('b'), ('c')");
    return file;
  }
}
