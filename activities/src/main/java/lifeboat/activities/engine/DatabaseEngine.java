package lifeboat.activities.engine;

import java.io.InputStream;
import java.util.List;

/** One database engine's native tools, behind the few operations backup and restore need. */
public interface DatabaseEngine {

  /** "postgres", "sqlite", "mariadb", "duckdb": the value of {@code engine:} in lifeboat.yaml and in manifests. */
  String name();

  /** Connects and returns the server version; fails with BAD_URL, AUTH_FAILED or DATABASE_UNREACHABLE. */
  String serverVersion(DbConnection db);

  /** Runs a schema-version query (first column of the first row), or returns null when query is null. */
  String schemaVersion(DbConnection db, String query);

  /** Starts the native dump tool. */
  Dump startDump(DbConnection db);

  /**
   * Starts the dump of a database configured with {@code allowNonTransactional} (MariaDB: tables whose engine
   * ignores transactions are dumped under a read lock instead of refused). Other engines have no such tables.
   */
  default Dump startDump(DbConnection db, boolean allowNonTransactional) {
    return startDump(db);
  }

  /** True when the target holds no user tables (a missing SQLite file counts as empty). */
  boolean isEmpty(DbConnection target);

  /**
   * Restores a native dump read from {@code dump} into the target. With jobs > 1 an engine that needs a
   * seekable file (pg_restore -j) stages the stream in a temp file and deletes it afterwards. Options the
   * engine cannot honour were refused by {@link RestoreOptions#validate} before.
   *
   * @return a short description of a post-restore check, e.g. "12 tables"
   */
  String restore(InputStream dump, DbConnection target, RestoreOptions options);

  /** A whole-database restore. */
  default String restore(InputStream dump, DbConnection target, int jobs, boolean clean) {
    return restore(dump, target, RestoreOptions.whole(jobs, clean));
  }

  /**
   * Every user relation (table, view, sequence...) as "schema.name" (PostgreSQL) or "name" (SQLite), sorted:
   * what a pre-migration rollback compares before and after, to name what the restore left in place.
   */
  List<String> relations(DbConnection db);

  /** Which of {@code tables} (names as {@link RestoreOptions#tables()} holds them) the target already has. */
  default List<String> existingTables(DbConnection target, List<String> tables) {
    throw new UnsupportedOperationException(name() + " restores whole databases only");
  }

  /**
   * Starts the dump of the server-wide objects a database's own dump lacks (PostgreSQL: roles, tablespaces),
   * or returns null when the engine has none (SQLite).
   */
  default GlobalsDump startGlobalsDump(DbConnection db) {
    return null;
  }

  /**
   * Applies a globals dump to the target's server, leaving the roles and tablespaces it already has as they
   * are. Returns what it did, e.g. "3 roles created, 1 already present".
   */
  default String applyGlobals(InputStream sql, DbConnection target) {
    throw new UnsupportedOperationException(name() + " has no globals");
  }

  /** Reads a whole native dump and checks it is usable (pg_restore -l, PRAGMA integrity_check). */
  String inspect(InputStream dump);
}
