package lifeboat.activities.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.DumpSnapshot;

/**
 * MariaDB (and MySQL through the same client tools) with its own tools: mariadb-dump for backups, the mariadb
 * client for restores, Connector/J for versions, the table-engine audit and emptiness. The dump is of one
 * database without --databases, so it holds no CREATE DATABASE / USE and restores into a database of any name.
 */
public final class MariaDbEngine implements DatabaseEngine {
  public static final String USERS_SOURCE = "mariadb-dump --system=users";
  private static final List<String> DUMP_ARGS = List.of("--quick", "--routines", "--triggers", "--events",
      "--hex-blob", "--default-character-set=utf8mb4");
  private static final Pattern CHANGE_MASTER = Pattern.compile(
      "^-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\\d+);", Pattern.MULTILINE);
  private static final String RESTORE_HINT =
      "the target may be partly restored: fix the cause shown by the mariadb client and restore again with clean";

  @Override
  public String name() {
    return "mariadb";
  }

  @Override
  public String serverVersion(DbConnection db) {
    return query(db, "SELECT VERSION()", "SELECT VERSION()");
  }

  @Override
  public String schemaVersion(DbConnection db, String query) {
    return query == null ? null : query(db, query, "schema version query \"" + query + "\"");
  }

  @Override
  public Dump startDump(DbConnection db) {
    return startDump(db, false);
  }

  /**
   * Audits the table engines first; then --single-transaction, or with {@code allowNonTransactional} and such
   * tables present a read lock for the whole dump. With binlog on, --master-data=2 writes the snapshot's binlog
   * position as a comment, read back from the stream's head (see {@link DumpHeaderCapture}).
   */
  @Override
  public Dump startDump(DbConnection db, boolean allowNonTransactional) {
    String database = MariaDbUrls.parse(db.url()).database();
    List<String> nonTransactional;
    boolean binlog;
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      nonTransactional = NonTransactionalTables.of(c, database);
      try (ResultSet rs = st.executeQuery("SELECT @@log_bin")) {
        binlog = rs.next() && rs.getInt(1) == 1;
      }
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, db);
    }
    if (!nonTransactional.isEmpty() && !allowNonTransactional) {
      throw NonTransactionalTables.refusal(database, nonTransactional);
    }
    boolean lock = !nonTransactional.isEmpty();
    List<String> args = new ArrayList<>(DUMP_ARGS);
    // --master-data turns --lock-tables into a global read lock (FLUSH TABLES WITH READ LOCK) for the dump
    args.add(lock ? "--lock-tables" : "--single-transaction");
    if (binlog) {
      args.add("--master-data=2");
    }
    String consistency = !lock ? "single-transaction"
        : (binlog ? "lock-all-tables" : "lock-tables") + " (non-transactional: " + String.join(", ",
            nonTransactional) + ")";
    ToolProcess p = MariaDbTools.start(db, "mariadb-dump", args, true, ProcessBuilder.Redirect.PIPE);
    DumpHeaderCapture head = new DumpHeaderCapture(p.stdout());
    ToolDump tool = new ToolDump(p, code -> MariaDbErrors.fromTool(p, code, db, ErrorCode.DUMP_FAILED,
        "mariadb-dump stopped before the end of the dump"));
    return new Dump() {
      @Override
      public InputStream stream() {
        return head;
      }

      @Override
      public void finish() {
        tool.finish();
      }

      @Override
      public DumpSnapshot snapshot() {
        return binlog ? position(db, consistency, head.header()) : new DumpSnapshot(consistency, null, null, null);
      }

      @Override
      public void close() {
        tool.close();
      }
    };
  }

  /** The binlog file and position mariadb-dump wrote, and their GTID position as the server maps them. */
  private static DumpSnapshot position(DbConnection db, String consistency, String header) {
    Matcher m = CHANGE_MASTER.matcher(header);
    if (!m.find()) {
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "mariadb-dump --master-data=2 wrote no binlog position "
          + "in the dump's first " + DumpHeaderCapture.HEADER_BYTES + " bytes", "report this: the dump tool's "
          + "output format may have changed (mariadb-dump --version)");
    }
    String file = m.group(1);
    long pos = Long.parseLong(m.group(2));
    String gtid = null;
    try (Connection c = connect(db); PreparedStatement st = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
      st.setString(1, file);
      st.setLong(2, pos);
      try (ResultSet rs = st.executeQuery()) {
        gtid = rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      // MySQL has no BINLOG_GTID_POS: the file and position still locate the snapshot
    }
    return new DumpSnapshot(consistency, file, pos, gtid == null || gtid.isEmpty() ? null : gtid);
  }

  @Override
  public boolean isEmpty(DbConnection target) {
    return relations(target).isEmpty();
  }

  /**
   * The mariadb client reading the dump into the URL's database. With clean the database is emptied first
   * ({@link MariaDbClean}): the dump's DROP ... IF EXISTS would leave the objects the backup lacks.
   */
  @Override
  public String restore(InputStream dump, DbConnection target, RestoreOptions options) {
    if (!options.tables().isEmpty()) {
      return restoreTables(dump, target, options.tables());
    }
    if (options.clean()) {
      MariaDbClean.dropEverything(target);
    }
    run(dump, target);
    return relations(target).size() + " tables and views";
  }

  /**
   * Some tables: their sections of the dump (structure, rows, triggers; {@link MariaDbTableSections}) into the
   * target, which may hold other tables. Clean or not, each section's own DROP TABLE IF EXISTS replaces only
   * that table: CheckTarget refused a target that has it unless clean was asked for.
   */
  private String restoreTables(InputStream dump, DbConnection target, List<String> tables) {
    MariaDbTableSections sections = new MariaDbTableSections(dump, new java.util.LinkedHashSet<>(tables));
    run(sections, target);
    List<String> missing = tables.stream().filter(t -> !sections.found().contains(t)).toList();
    if (!missing.isEmpty()) {
      throw new LifeboatException(ErrorCode.TABLE_NOT_IN_BACKUP, "the backup has no table " + String.join(", ",
          missing) + (sections.found().isEmpty() ? "" : " (restored: " + String.join(", ", sections.found()) + ")"),
          "check the name (case matters on Linux servers) against the backed-up database: SHOW TABLES; a view, "
              + "routine or event is not a table and is restored only with the whole backup");
    }
    return String.join(", ", sections.found()) + " restored (" + sections.found().size() + " of the backup's tables)";
  }

  /** The mariadb client reading {@code dump} into the target's database. */
  private static void run(InputStream dump, DbConnection target) {
    try (ToolProcess p = MariaDbTools.start(target, "mariadb", List.of("--batch",
        "--default-character-set=utf8mb4"), true, ProcessBuilder.Redirect.DISCARD)) {
      try {
        ToolProcess.feed(dump, p);
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot read the backup stream: " + e.getMessage(),
            "the backup could not be read from the repository; check the repository and retry", e);
      }
      int code = p.waitFor();
      if (code != 0) {
        throw MariaDbErrors.fromTool(p, code, target, ErrorCode.RESTORE_FAILED, RESTORE_HINT);
      }
    }
  }

  @Override
  public List<String> existingTables(DbConnection target, List<String> tables) {
    List<String> found = new ArrayList<>();
    try (Connection c = connect(target); PreparedStatement st = c.prepareStatement("SELECT TABLE_NAME FROM"
        + " information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      for (String table : tables) {
        st.setString(1, table);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, target);
    }
    return found;
  }

  @Override
  public List<String> relations(DbConnection db) {
    return SqlReads.firstColumn(() -> connect(db), e -> MariaDbErrors.fromConnect(e, db),
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1");
  }

  /**
   * The server's accounts and their grants (mariadb-dump --system=users): a fresh server lacks them. With
   * --insert-ignore the accounts are CREATE USER IF NOT EXISTS.
   */
  @Override
  public GlobalsDump startGlobalsDump(DbConnection db) {
    ToolProcess p = MariaDbTools.start(db, "mariadb-dump", List.of("--system=users", "--insert-ignore"), false,
        ProcessBuilder.Redirect.PIPE);
    return new GlobalsDump(new ToolDump(p, code -> MariaDbErrors.fromTool(p, code, db, ErrorCode.DUMP_FAILED,
        "mariadb-dump --system=users stopped before the end")), USERS_SOURCE);
  }

  @Override
  public String applyGlobals(InputStream sql, DbConnection target) {
    return MariaDbUsers.apply(sql, target);
  }

  /**
   * There is no offline reader for SQL dumps: the check is that the stream is a mariadb-dump (or mysqldump) from
   * its first line to its last, "-- Dump completed", which a dump cut short lacks; and the tables it creates.
   */
  @Override
  public String inspect(InputStream dump) {
    boolean dumpHeader = false;
    String last = null;
    int tables = 0;
    long lines = 0;
    // not closed here: the caller goes on reading the stored object to its end (its checksum) and closes it
    BufferedReader r = new BufferedReader(new InputStreamReader(dump, StandardCharsets.ISO_8859_1));
    try {
      String line;
      while ((line = r.readLine()) != null) {
        if (lines++ < 5 && (line.startsWith("-- MariaDB dump") || line.startsWith("-- MySQL dump"))) {
          dumpHeader = true;
        }
        if (line.startsWith("CREATE TABLE ")) {
          tables++;
        }
        if (!line.isBlank()) {
          last = line;
        }
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "cannot read the dump: " + e.getMessage(),
          "the backup is damaged or truncated: restore an older one", e);
    }
    if (!dumpHeader || last == null || !last.startsWith("-- Dump completed")) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, !dumpHeader ? "not a mariadb-dump SQL dump"
          : "the dump ends before mariadb-dump's \"-- Dump completed\" line (truncated)",
          "the backup is damaged or truncated: restore an older one");
    }
    return "mariadb-dump complete, " + tables + " tables";
  }

  /** First column of the first row (null when there is no row); connection errors are classified. */
  static String query(DbConnection db, String sql, String what) {
    return SqlReads.firstValue(() -> connect(db), e -> MariaDbErrors.fromConnect(e, db), db, sql, what);
  }

  public static Connection connect(DbConnection db) throws SQLException {
    MariaDbUrls.MariaDbUrl url = MariaDbUrls.parse(db.url());
    Properties props = new Properties();
    props.setProperty("user", url.user());
    if (db.password() != null) {
      props.setProperty("password", db.password());
    }
    props.setProperty("connectTimeout", "10000");
    return new org.mariadb.jdbc.Driver().connect(url.jdbcUrl(), props);
  }
}
