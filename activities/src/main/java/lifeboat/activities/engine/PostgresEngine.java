package lifeboat.activities.engine;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.SavedGlobals;

/**
 * PostgreSQL through its own tools: pg_dump -Fc for backups, pg_restore for restores and checks, JDBC for
 * the version and emptiness queries. Passwords travel in PGPASSWORD, never on a command line.
 */
public final class PostgresEngine implements DatabaseEngine {
  private static final Pattern URL_PASSWORD = Pattern.compile("^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@");
  private static final String USER_SCHEMAS =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
          + " AND n.nspname NOT LIKE 'pg\\_temp\\_%'";
  private static final String RESTORE_HINT =
      "the target may be partly restored: fix the cause shown by pg_restore and restore again with clean";

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String serverVersion(DbConnection db) {
    return query(db, "SHOW server_version", "SHOW server_version");
  }

  @Override
  public String schemaVersion(DbConnection db, String query) {
    return query == null ? null : query(db, query, "schema version query \"" + query + "\"");
  }

  @Override
  public Dump startDump(DbConnection db) {
    ToolProcess p = start(db, List.of("pg_dump", "-Fc", "-Z0"), ProcessBuilder.Redirect.PIPE);
    return new ToolDump(p, code -> PgErrors.fromTool(p, code, ErrorCode.DUMP_FAILED,
        "pg_dump stopped before the end of the dump", db.password()));
  }

  /**
   * pg_basebackup of the whole cluster as one tar on standard output, with PostgreSQL's backup_manifest inside
   * (CRC32C per file). {@code fetchWal}: the WAL the backup needs goes into it too (-X fetch), for a database
   * without a WAL archive; else none does (-X none), and a restore takes it from the archive.
   */
  public Dump startBaseBackup(DbConnection db, String label, boolean fetchWal) {
    ToolProcess p = start(db, List.of("pg_basebackup", "-D", "-", "-Ft", "-X", fetchWal ? "fetch" : "none",
        "--checkpoint=fast", "--manifest-checksums=CRC32C", "-l", label), ProcessBuilder.Redirect.PIPE);
    return new ToolDump(p, code -> PgErrors.fromTool(p, code, ErrorCode.DUMP_FAILED,
        "pg_basebackup stopped before the end of the base backup", db.password()));
  }

  @Override
  public boolean isEmpty(DbConnection target) {
    return userRelations(target, "'r','p','v','m','S','f'") == 0;
  }

  @Override
  public String restore(InputStream dump, DbConnection target, RestoreOptions options) {
    List<String> args = new ArrayList<>(List.of("pg_restore", "--exit-on-error"));
    args.addAll(PgRestoreArgs.of(options));
    int jobs = options.dataOnly() ? 1 : options.jobs(); // --data-only runs in one transaction: no -j
    if (jobs > 1) {
      restoreStaged(dump, target, jobs, args);
    } else {
      try (ToolProcess p = start(target, args, ProcessBuilder.Redirect.DISCARD)) {
        feedAll(dump, p);
        checkRestore(p, target);
      }
    }
    return userRelations(target, "'r','p'") + " tables";
  }

  @Override
  public List<String> relations(DbConnection db) {
    return SqlReads.firstColumn(() -> connect(db), e -> PgErrors.fromConnect(e, db),
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r','p','v','m','f','S') AND " + USER_SCHEMAS + " ORDER BY 1");
  }

  @Override
  public List<String> existingTables(DbConnection target, List<String> tables) {
    String sql = "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r','p','v','m','f','S') AND c.relname = ? AND (? IS NULL OR n.nspname = ?)"
        + " AND " + USER_SCHEMAS;
    List<String> found = new ArrayList<>();
    try (Connection c = connect(target); PreparedStatement st = c.prepareStatement(sql)) {
      for (String table : tables) {
        String schema = RestoreOptions.schemaOf(table);
        st.setString(1, RestoreOptions.nameOf(table));
        st.setString(2, schema);
        st.setString(3, schema);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw PgErrors.fromConnect(e, target);
    }
    return found;
  }

  /**
   * pg_dumpall reads role passwords from pg_authid, which only a superuser may read; anyone else gets the
   * roles from pg_roles, without passwords, rather than no globals at all.
   */
  @Override
  public GlobalsDump startGlobalsDump(DbConnection db) {
    boolean superuser = "t".equals(query(db, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
        "checking for superuser"));
    List<String> args = new ArrayList<>(List.of("pg_dumpall", "--globals-only"));
    if (!superuser) {
      args.add("--no-role-passwords");
    }
    // pg_dumpall ignores the database of --dbname and connects to "postgres": -l keeps it on the configured one.
    args.addAll(List.of("-l", PgUrls.parse(db.url()).database()));
    ToolProcess p = start(db, args, ProcessBuilder.Redirect.PIPE);
    return new GlobalsDump(new ToolDump(p, code -> PgErrors.fromTool(p, code, ErrorCode.DUMP_FAILED,
        "pg_dumpall --globals-only stopped before the end", db.password())),
        superuser ? SavedGlobals.FULL : SavedGlobals.NO_PASSWORDS);
  }

  @Override
  public String applyGlobals(InputStream sql, DbConnection target) {
    return PgGlobals.apply(sql, target);
  }

  /** pg_restore -j cannot read standard input: the archive goes through a temp file. */
  private void restoreStaged(InputStream dump, DbConnection target, int jobs, List<String> args) {
    Path staged = null;
    try {
      staged = Files.createTempFile("lifeboat-restore-", ".dump");
      try {
        Files.copy(dump, staged, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw readFailure(e);
      }
      List<String> parallel = new ArrayList<>(args);
      parallel.addAll(List.of("-j", Integer.toString(jobs), staged.toString()));
      try (ToolProcess p = start(target, parallel, ProcessBuilder.Redirect.DISCARD)) {
        checkRestore(p, target);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED,
          "cannot stage the dump in a temp file: " + e.getMessage(),
          "pg_restore -j needs free space for the whole dump in " + System.getProperty("java.io.tmpdir"), e);
    } finally {
      if (staged != null) {
        try {
          Files.deleteIfExists(staged);
        } catch (IOException ignored) {
          // a temp file left behind is not worth failing a finished restore
        }
      }
    }
  }

  static void checkRestore(ToolProcess p, DbConnection target) {
    int code = p.waitFor();
    if (code != 0) {
      throw PgErrors.fromTool(p, code, ErrorCode.RESTORE_FAILED, RESTORE_HINT, target.password());
    }
  }

  /**
   * Two readers of one pass over the archive: pg_restore -l lists the TOC (and stops reading after it),
   * pg_restore -f /dev/null reads every data block, which is what notices a truncated or damaged archive.
   */
  @Override
  public String inspect(InputStream dump) {
    try (ToolProcess list = startTool(List.of("pg_restore", "-l"), ProcessBuilder.Redirect.PIPE, null);
         ToolProcess full = startTool(List.of("pg_restore", "-f", "/dev/null"),
             ProcessBuilder.Redirect.DISCARD, null)) {
      CompletableFuture<Integer> entries = CompletableFuture.supplyAsync(() -> countEntries(list), r -> {
        Thread t = new Thread(r, "pg_restore-l");
        t.setDaemon(true);
        t.start();
      });
      feedAll(dump, list, full);
      int fullCode = full.waitFor();
      int listCode = list.waitFor();
      ToolProcess failed = fullCode != 0 ? full : listCode != 0 ? list : null;
      if (failed != null) {
        int code = failed == full ? fullCode : listCode;
        LifeboatException e = PgErrors.fromTool(failed, code, ErrorCode.CORRUPT_BACKUP,
            "the backup is damaged or truncated: restore an older one", null);
        throw e.code() == ErrorCode.TOOL_MISSING ? e
            : new LifeboatException(ErrorCode.CORRUPT_BACKUP, e.getMessage(), e.hint());
      }
      return "pg_restore -l: " + entries.join() + " entries";
    }
  }

  private static int countEntries(ToolProcess list) {
    int n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(list.stdout(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith(";")) {
          n++;
        }
      }
    } catch (IOException ignored) {
      // the exit status reports the failure
    }
    return n;
  }

  /** Feeds the whole dump to the tools; a failure to read the dump itself is reported as such. */
  private static void feedAll(InputStream dump, ToolProcess... tools) {
    try {
      ToolProcess.feed(dump, tools);
    } catch (IOException e) {
      throw readFailure(e);
    }
  }

  private static LifeboatException readFailure(IOException e) {
    return new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot read the backup stream: " + e.getMessage(),
        "the backup could not be read from the repository; check the repository and retry", e);
  }

  /** pg_dump / pg_restore against {@code db}, with the password in the environment; stdin is a pipe. */
  static ToolProcess start(DbConnection db, List<String> args, ProcessBuilder.Redirect stdout) {
    PgUrls.PgUrl parsed = PgUrls.parse(db.url());
    List<String> withDb = new ArrayList<>(args);
    withDb.add(1, "--dbname=" + URL_PASSWORD.matcher(db.url()).replaceFirst("$1@"));
    String password = db.password() != null ? db.password() : parsed.password();
    return startTool(withDb, stdout, password);
  }

  private static ToolProcess startTool(List<String> args, ProcessBuilder.Redirect stdout, String password) {
    List<String> cmd = new ArrayList<>(args);
    cmd.set(0, PgBinaries.tool(args.get(0)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout);
    if (List.of("pg_dump", "pg_dumpall", "pg_basebackup").contains(args.get(0))) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    pb.environment().remove("PGPASSWORD");
    if (password != null) {
      pb.environment().put("PGPASSWORD", password);
    }
    pb.environment().putIfAbsent("PGCONNECT_TIMEOUT", Integer.toString(PgUrls.DEFAULT_CONNECT_TIMEOUT));
    pb.environment().putIfAbsent("PGAPPNAME", "lifeboat");
    return ToolProcess.start(pb, PgBinaries.INSTALL_HINT);
  }

  private static int userRelations(DbConnection db, String relkinds) {
    String sql = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN (" + relkinds + ") AND " + USER_SCHEMAS;
    return Integer.parseInt(query(db, sql, "counting user relations"));
  }

  /** First column of the first row (null when there is no row); connection errors are classified. */
  static String query(DbConnection db, String sql, String what) {
    return SqlReads.firstValue(() -> connect(db), e -> PgErrors.fromConnect(e, db), db, sql, what);
  }

  static Connection connect(DbConnection db) throws SQLException {
    return Jdbc.postgres(db);
  }
}
