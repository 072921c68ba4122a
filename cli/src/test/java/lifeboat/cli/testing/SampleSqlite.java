package lifeboat.cli.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small SQLite database with a few tables, and its row counts. */
public final class SampleSqlite {
  public static final List<String> TABLES = List.of("authors", "notes");

  private SampleSqlite() {}

  public static Path create(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.executeUpdate("create table authors (id integer primary key, name text)");
      s.executeUpdate("create table notes (id integer primary key, author_id integer, body text)");
      s.executeUpdate("with recursive n(i) as (select 1 union all select i + 1 from n where i < 40)"
          + " insert into authors select i, 'author ' || i from n");
      s.executeUpdate("with recursive n(i) as (select 1 union all select i + 1 from n where i < 1234)"
          + " insert into notes select i, 1 + i % 40, 'note ' || i from n");
    }
    return file;
  }

  public static Map<String, Long> rowCounts(Path file) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }
}
