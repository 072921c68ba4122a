package lifeboat.activities.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.sqlite.SQLiteConfig;

/**
 * SQLite through sqlite-jdbc. A backup is a consistent snapshot taken with SQLite's online backup API
 * (never a plain copy of a live file, which may be mid-transaction). The API writes a file, so the snapshot
 * is staged in a temp file and streamed from there; SQLite cannot dump to a pipe.
 */
public final class SqliteEngine implements DatabaseEngine {
  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public String serverVersion(DbConnection db) {
    requireExisting(db);
    try (Connection c = open(Path.of(db.path()), true); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select sqlite_version()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw failure(ErrorCode.DATABASE_UNREACHABLE, "cannot open " + db.path(), e);
    }
  }

  @Override
  public String schemaVersion(DbConnection db, String query) {
    if (query == null) {
      return null;
    }
    requireExisting(db);
    return SqlReads.firstValue(() -> open(Path.of(db.path()), true), e -> failure(ErrorCode.BAD_URL, "cannot open "
        + db.path(), e), db, query, "schema version query \"" + query + "\"");
  }

  @Override
  public Dump startDump(DbConnection db) {
    requireExisting(db);
    Path snapshot = tempFile("lifeboat-sqlite-snapshot");
    try (Connection c = open(Path.of(db.path()), true); Statement s = c.createStatement()) {
      // Online backup API: a transactionally consistent copy, even while writers are active.
      s.executeUpdate("backup to '" + snapshot.toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      deleteQuietly(snapshot);
      throw failure(ErrorCode.DUMP_FAILED, "online backup of " + db.path() + " failed", e);
    }
    try {
      InputStream in = Files.newInputStream(snapshot);
      return new Dump() {
        @Override
        public InputStream stream() {
          return in;
        }

        @Override
        public void finish() {
          // The snapshot was complete before streaming began; reading it to the end is all there is.
        }

        @Override
        public void close() {
          try {
            in.close();
          } catch (IOException ignored) {
            // the file is deleted next
          }
          deleteQuietly(snapshot);
        }
      };
    } catch (IOException e) {
      deleteQuietly(snapshot);
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<String> relations(DbConnection db) {
    Path file = Path.of(db.path());
    if (!Files.exists(file)) {
      return List.of();
    }
    try (Connection c = open(file, true); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
             + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "cannot list the tables of " + file + ": "
          + e.getMessage(), "check that the file is a SQLite database");
    }
  }

  @Override
  public boolean isEmpty(DbConnection target) {
    Path file = Path.of(target.path());
    try {
      if (!Files.exists(file) || Files.size(file) == 0) {
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = open(file, true)) {
      return tables(c).isEmpty();
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID,
          "restore target " + file + " exists and is not a SQLite database: " + e.getMessage(),
          "choose another --to path, or remove that file");
    }
  }

  /**
   * Writes the database next to the target, checks it, then renames it onto the target: the target is
   * either untouched or the complete restored database, never half of one. Always the whole database:
   * partial options are refused by {@link RestoreOptions#validate}.
   */
  @Override
  public String restore(InputStream dump, DbConnection target, RestoreOptions options) {
    Path file = Path.of(target.path()).toAbsolutePath();
    Path staged = file.resolveSibling(file.getFileName() + ".lifeboat-restore-" + UUID.randomUUID());
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(staged)) {
        dump.transferTo(out);
      }
      String check = check(staged);
      FileSwap.replace(staged, file, List.of("-wal", "-shm"));
      return check;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "restore into " + file + " failed: " + e,
          "check free space and permissions in " + file.getParent(), e);
    } finally {
      deleteQuietly(staged);
    }
  }

  @Override
  public String inspect(InputStream dump) {
    Path staged = tempFile("lifeboat-sqlite-verify");
    try {
      try (OutputStream out = Files.newOutputStream(staged)) {
        dump.transferTo(out);
      }
      return check(staged);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "cannot read the backup's database: " + e,
          "the stored object is damaged; restore an older backup");
    } finally {
      deleteQuietly(staged);
    }
  }

  /** PRAGMA integrity_check plus a table count: "integrity ok, 3 tables". */
  private static String check(Path file) {
    requireHeader(file);
    try (Connection c = open(file, true); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("pragma integrity_check")) {
      List<String> problems = new ArrayList<>();
      while (rs.next()) {
        if (!"ok".equals(rs.getString(1))) {
          problems.add(rs.getString(1));
        }
      }
      if (!problems.isEmpty()) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP,
            "restored SQLite database fails integrity_check: " + String.join("; ", problems.subList(0,
                Math.min(3, problems.size()))), "restore an older backup");
      }
      return "integrity ok, " + tables(c).size() + " tables";
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "backup is not a readable SQLite database: "
          + e.getMessage(), "restore an older backup");
    }
  }

  /**
   * SQLite opens an empty file as an empty database, so an empty or truncated-to-nothing stream would pass
   * integrity_check; the online backup API always writes at least one page, starting with this header.
   */
  private static void requireHeader(Path file) {
    byte[] header = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(header, 0, header.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n < header.length || !java.util.Arrays.equals(header, SQLITE_HEADER)) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP,
          "backup is not a SQLite database (" + (n == 0 ? "empty" : "no SQLite header") + ")",
          "restore an older backup");
    }
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static Connection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly); // inspecting or backing up must never create or change the file
    return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
  }

  private static void requireExisting(DbConnection db) {
    if (!Files.isRegularFile(Path.of(db.path()))) {
      // sqlite-jdbc would silently create an empty database here; back up nothing is worse than failing.
      throw new LifeboatException(ErrorCode.BAD_URL, "SQLite database file not found: " + db.path(),
          "fix databases.<name>.path in lifeboat.yaml (relative paths are relative to that file)");
    }
  }

  private static Path tempFile(String prefix) {
    try {
      return Files.createTempFile(prefix, ".db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: temp files only
    }
  }

  private static LifeboatException failure(ErrorCode code, String what, SQLException e) {
    return new LifeboatException(code, what + ": " + e.getMessage(), "check the file and its permissions");
  }
}
