package lifeboat.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's sample databases and the lifeboat.yaml that describes them. */
public final class DemoDatabases implements AutoCloseable {
  private final Path home;
  private final List<DemoDatabase> databases = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  private DemoDatabases(Path home) {
    this.home = home;
  }

  public static DemoDatabases create(Path home, boolean withPostgres, PrintWriter out) throws Exception {
    DemoDatabases d = new DemoDatabases(home);
    d.databases.add(SqliteDemo.create(home));
    out.println("created SQLite database " + home.resolve("data/notes.db"));
    if (withPostgres) {
      PostgresDemo pg = PostgresDemo.createIfInstalled(home, out);
      if (pg != null) {
        d.resources.add(pg);
        d.databases.add(pg);
      }
    }
    return d;
  }

  public List<DemoDatabase> all() {
    return databases;
  }

  public String config() {
    StringBuilder yaml = new StringBuilder("""
        # Written by `lifeboat demo`. See docs/configuration.md.
        repositories:
          local: { type: filesystem, path: ./repo }
        encryption:
          recipients: [keys/backup.pub.asc]
          privateKey: keys/backup.sec.asc
          passphrase: file:keys/passphrase
        databases:
        """);
    for (DemoDatabase db : databases) {
      yaml.append("  ").append(db.name()).append(": ").append(db.configEntry()).append('\n');
    }
    return yaml.toString();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  /** One sample database: how lifeboat.yaml names it, where to restore it, and how to count its rows. */
  public interface DemoDatabase {
    String name();

    String engine();

    String configEntry();

    String restoreTarget();

    String restorePasswordRef();

    /** Rows per table, in the source or in the restored copy. */
    Map<String, Long> rowCounts(boolean restored) throws SQLException;
  }

  static Map<String, Long> countRows(Connection c, List<String> tables) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  /** A notes app in SQLite: a few thousand rows, enough to be more than a toy. */
  static final class SqliteDemo implements DemoDatabase {
    static final List<String> TABLES = List.of("authors", "notes", "tags");
    private final Path source;
    private final Path target;

    private SqliteDemo(Path source, Path target) {
      this.source = source;
      this.target = target;
    }

    static SqliteDemo create(Path home) throws Exception {
      Path file = Files.createDirectories(home.resolve("data")).resolve("notes.db");
      Files.deleteIfExists(file);
      // a demo run again in the same folder restores into an empty target, as the first run did
      Files.deleteIfExists(home.resolve("restored/notes.db"));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("create table authors (id integer primary key, name text not null)");
        s.executeUpdate("create table notes (id integer primary key, author_id integer references authors(id),"
            + " title text, body text, created_at text)");
        s.executeUpdate("create table tags (note_id integer references notes(id), tag text)");
        s.executeUpdate("create table schema_version (version text)");
        s.executeUpdate("insert into schema_version values ('demo-1')");
        try (PreparedStatement a = c.prepareStatement("insert into authors values (?, ?)");
             PreparedStatement n = c.prepareStatement("insert into notes values (?, ?, ?, ?, ?)");
             PreparedStatement t = c.prepareStatement("insert into tags values (?, ?)")) {
          for (int i = 1; i <= 50; i++) {
            a.setInt(1, i);
            a.setString(2, "author " + i);
            a.addBatch();
          }
          a.executeBatch();
          for (int i = 1; i <= 5000; i++) {
            n.setInt(1, i);
            n.setInt(2, 1 + i % 50);
            n.setString(3, "note " + i);
            n.setString(4, ("Lorem ipsum " + i + " dolor sit amet ").repeat(1 + i % 7));
            n.setString(5, "2026-11-" + String.format("%02d", 1 + i % 26));
            n.addBatch();
            t.setInt(1, i);
            t.setString(2, i % 3 == 0 ? "work" : "home");
            t.addBatch();
          }
          n.executeBatch();
          t.executeBatch();
        }
        c.commit();
      }
      return new SqliteDemo(file, home.resolve("restored/notes.db"));
    }

    @Override
    public String name() {
      return "notes";
    }

    @Override
    public String engine() {
      return "sqlite";
    }

    @Override
    public String configEntry() {
      return "{ engine: sqlite, path: ./data/notes.db, repository: local,"
          + " schemaVersionQuery: \"select version from schema_version\" }";
    }

    @Override
    public String restoreTarget() {
      return target.toAbsolutePath().toString();
    }

    @Override
    public String restorePasswordRef() {
      return null;
    }

    @Override
    public Map<String, Long> rowCounts(boolean restored) throws SQLException {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + (restored ? target : source))) {
        return countRows(c, TABLES);
      }
    }
  }
}
