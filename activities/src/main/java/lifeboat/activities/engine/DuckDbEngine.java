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
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.StagingFolders;

/**
 * DuckDB through its JDBC driver (the native library is inside the jar). A backup is EXPORT DATABASE (FORMAT
 * PARQUET) over a read-only connection, staged in a folder and streamed as one tar ({@link DuckDbExport}); a
 * restore is IMPORT DATABASE into a new file beside the target, renamed onto it once it is complete.
 */
public final class DuckDbEngine implements DatabaseEngine {
  /** One COPY line of load.sql: its Parquet file's path, quoted as SQL quotes it. */
  private static final Pattern LOAD_FILE = Pattern.compile("(?i)\\bFROM\\s+'((?:[^']|'')*)'");

  private final Path stagingRoot;

  public DuckDbEngine() {
    this(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** @param stagingRoot where exports and verifications are staged (the worker's temp folder) */
  public DuckDbEngine(Path stagingRoot) {
    this.stagingRoot = stagingRoot;
  }

  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public String serverVersion(DbConnection db) {
    Path file = requireExisting(db);
    try (Connection c = open(file, true); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw openFailure(file, e);
    }
  }

  @Override
  public String schemaVersion(DbConnection db, String query) {
    if (query == null) {
      return null;
    }
    Path file = requireExisting(db);
    return SqlReads.firstValue(() -> open(file, true), e -> openFailure(file, e), db, query,
        "schema version query \"" + query + "\"");
  }

  @Override
  public Dump startDump(DbConnection db) {
    Path file = requireExisting(db);
    Connection c;
    try {
      c = open(file, true);
    } catch (SQLException e) {
      throw openFailure(file, e);
    }
    try {
      return DuckDbExport.start(c, file.toString(), stagingRoot); // the export is complete when it returns
    } finally {
      closeQuietly(c);
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
    return relationsOf(file, "BASE TABLE").isEmpty();
  }

  @Override
  public List<String> relations(DbConnection db) {
    Path file = Path.of(db.path());
    return Files.exists(file) ? relationsOf(file, null) : List.of();
  }

  /**
   * Unpacks the export beside the target, imports it into a new file there, checks it, then renames it onto
   * the target: the target is either untouched or the complete restored database. Whole databases only
   * (partial options were refused by {@link RestoreOptions#validate}).
   */
  @Override
  public String restore(InputStream dump, DbConnection target, RestoreOptions options) {
    Path file = Path.of(target.path()).toAbsolutePath();
    Path staged = file.resolveSibling(file.getFileName() + ".lifeboat-restore-" + UUID.randomUUID());
    Path unpacked = Path.of(staged + ".d");
    try {
      Files.createDirectories(file.getParent());
      Path export = unpack(dump, unpacked);
      try (Connection c = open(staged, false); Statement s = c.createStatement()) {
        s.execute("IMPORT DATABASE " + quote(export.toString()));
      } catch (SQLException e) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "IMPORT DATABASE into " + staged + " failed: "
            + e.getMessage(), "check free space beside " + file + "; the target was not touched", e);
      }
      String check = check(staged);
      FileSwap.replace(staged, file, List.of(".wal"));
      return check;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "restore into " + file + " failed: " + e,
          "check free space and permissions in " + file.getParent(), e);
    } finally {
      StagingFolders.deleteTree(unpacked);
      deleteQuietly(staged);
      deleteQuietly(Path.of(staged + ".wal"));
    }
  }

  /**
   * Unpacks the export into a temp folder, runs its schema.sql in an in-memory database, and reads every
   * Parquet file load.sql names from its first row to its last. Nothing is imported: a check of a large
   * database neither fills memory nor writes a second copy of it.
   */
  @Override
  public String inspect(InputStream dump) {
    Path folder;
    try {
      Files.createDirectories(stagingRoot);
      folder = Files.createTempDirectory(stagingRoot, "lifeboat-duckdb-verify-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path export = unpack(dump, folder);
      String load = Files.readString(export.resolve("load.sql"));
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
        String schema = Files.readString(export.resolve("schema.sql"));
        if (!schema.isBlank()) {
          s.execute(schema);
        }
        long rows = 0;
        int tables = 0;
        Matcher m = LOAD_FILE.matcher(load);
        while (m.find()) {
          String named = m.group(1).replace("''", "'");
          Path parquet = export.resolve(Path.of(named).getFileName().toString());
          if (!Files.isRegularFile(parquet)) {
            throw corrupt("load.sql names " + parquet.getFileName() + ", which the export lacks");
          }
          try (ResultSet rs = s.executeQuery("SELECT count(*), sum(hash(t)) FROM read_parquet("
              + quote(parquet.toString()) + ") t")) {
            rs.next();
            rows += rs.getLong(1);
          }
          tables++;
        }
        return "export ok: schema.sql runs, " + tables + " tables, " + rows + " rows read";
      } catch (SQLException e) {
        throw corrupt("the export does not load: " + e.getMessage());
      }
    } catch (IOException e) {
      throw corrupt("cannot read the export: " + e.getMessage());
    } finally {
      StagingFolders.deleteTree(folder);
    }
  }

  /**
   * Unpacks the tar stream into {@code folder}, then reads the stream to its end: decryption checks the
   * message's integrity only there, and nothing may be imported from an object that fails it.
   */
  private static Path unpack(InputStream dump, Path folder) throws IOException {
    Path export;
    try {
      export = ExportTar.extract(dump, folder);
    } catch (IOException e) {
      if (e.getCause() instanceof LifeboatException le) {
        throw le;
      }
      throw corrupt("the backup is not a DuckDB export: " + e.getMessage());
    }
    dump.transferTo(OutputStream.nullOutputStream());
    for (String needed : List.of("schema.sql", "load.sql")) {
      if (!Files.isRegularFile(export.resolve(needed))) {
        throw corrupt("the export has no " + needed);
      }
    }
    return export;
  }

  /** "imported: 3 tables, 1003 rows" */
  private static String check(Path file) {
    try (Connection c = open(file, true); Statement s = c.createStatement()) {
      List<String> tables = relationsOf(c, "BASE TABLE");
      long rows = 0;
      for (String table : tables) {
        int dot = table.indexOf('.');
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ident(table.substring(0, dot)) + "."
            + ident(table.substring(dot + 1)))) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
      return "imported: " + tables.size() + " tables, " + rows + " rows";
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "the imported database cannot be read: "
          + e.getMessage(), "the target was not touched; run the restore again");
    }
  }

  private static List<String> relationsOf(Path file, String type) {
    try (Connection c = open(file, true)) {
      return relationsOf(c, type);
    } catch (SQLException e) {
      if (isLocked(e)) {
        throw openFailure(file, e);
      }
      throw new LifeboatException(ErrorCode.TARGET_INVALID, file + " exists and is not a DuckDB database: "
          + e.getMessage(), "choose another --to path, or remove that file");
    }
  }

  /** "schema.name" of each table (type BASE TABLE) or of every relation (type null), sorted. */
  private static List<String> relationsOf(Connection c, String type) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            + " WHERE table_catalog = current_database()"
            + (type == null ? "" : " AND table_type = " + quote(type)) + " ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static Connection open(Path file, boolean readOnly) throws SQLException {
    Properties props = new Properties();
    if (readOnly) {
      props.setProperty("duckdb.read_only", "true"); // backing up or inspecting never creates or changes a file
    }
    return DriverManager.getConnection("jdbc:duckdb:" + file, props);
  }

  private static Path requireExisting(DbConnection db) {
    Path file = Path.of(db.path());
    if (!Files.isRegularFile(file)) {
      throw new LifeboatException(ErrorCode.BAD_URL, "DuckDB database file not found: " + file,
          "fix databases.<name>.path in lifeboat.yaml (relative paths are relative to that file)");
    }
    return file;
  }

  private static boolean isLocked(SQLException e) {
    return String.valueOf(e.getMessage()).contains("Could not set lock");
  }

  private static LifeboatException openFailure(Path file, SQLException e) {
    if (isLocked(e)) {
      return new LifeboatException(ErrorCode.DATABASE_LOCKED, "another process has " + file + " open for writing: "
          + e.getMessage(), "DuckDB lets no other process open a file while one writes it; back it up when the "
              + "writer closes it, or from inside that process (docs/duckdb.md)");
    }
    if (String.valueOf(e.getMessage()).contains("not a valid DuckDB database")) {
      return new LifeboatException(ErrorCode.BAD_URL, file + " is not a DuckDB database: " + e.getMessage(),
          "fix databases.<name>.path in lifeboat.yaml");
    }
    return new LifeboatException(ErrorCode.DATABASE_UNREACHABLE, "cannot open " + file + ": " + e.getMessage(),
        "check the file and its permissions");
  }

  private static LifeboatException corrupt(String what) {
    return new LifeboatException(ErrorCode.CORRUPT_BACKUP, what, "the stored object is damaged; restore an older "
        + "backup");
  }

  private static String quote(String literal) {
    return "'" + literal.replace("'", "''") + "'";
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the export is written; a failed close loses nothing
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: staged files only
    }
  }
}
