package lifeboat.workflows.model;

import java.util.List;

/**
 * Input of {@code RestoreWorkflow}.
 *
 * @param database           database name from lifeboat.yaml whose backups are restored
 * @param backup             a backup id, or "latest" for the newest verified backup
 * @param target             a postgres or mariadb URL (no password in it) or a SQLite or DuckDB file path;
 *                           null restores into the configured database itself (pre-migration rollback only; the
 *                           CLI always asks for --to)
 * @param targetPasswordRef  a secret reference (env:NAME, file:PATH) for the target's password, or null
 * @param jobs               pg_restore parallel jobs; above 1 the decrypted dump is staged in a temp file
 * @param clean              restore into a non-empty target, dropping the objects the backup contains
 * @param tables             restore only these tables (pg_restore -t), empty = all
 * @param schemaOnly         restore the schema, no data
 * @param dataOnly           restore the data, into an existing schema
 * @param noOwner            pg_restore --no-owner --no-privileges: for targets without the source's roles
 * @param globals            restore the backup's globals (roles, tablespaces: pg_dumpall --globals-only) first
 * @param toTime             MariaDB: restore the database as it was at this moment (ISO-8601): the newest dump
 *                           that ended before it, then the archived binlog replayed up to it; null = the backup
 */
public record RestoreRequest(
    String database, String backup, String target, String targetPasswordRef, int jobs, boolean clean,
    List<String> tables, boolean schemaOnly, boolean dataOnly, boolean noOwner, boolean globals, String toTime) {

  public static final String LATEST = "latest";

  /** A restore of the backup as it is (no point in time), as every restore before MariaDB's binlog replay. */
  public RestoreRequest(String database, String backup, String target, String targetPasswordRef, int jobs,
      boolean clean, List<String> tables, boolean schemaOnly, boolean dataOnly, boolean noOwner, boolean globals) {
    this(database, backup, target, targetPasswordRef, jobs, clean, tables, schemaOnly, dataOnly, noOwner, globals,
        null);
  }

  public RestoreRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  /** A whole-database restore, as issue 2's `lifeboat restore` does it. */
  public RestoreRequest(
      String database, String backup, String target, String targetPasswordRef, int jobs, boolean clean) {
    this(database, backup, target, targetPasswordRef, jobs, clean, List.of(), false, false, false, false);
  }

  public boolean partial() {
    return !tables.isEmpty() || schemaOnly || dataOnly;
  }

  public RestoreRequest withClean(boolean clean) {
    return new RestoreRequest(database, backup, target, targetPasswordRef, jobs, clean, tables, schemaOnly, dataOnly,
        noOwner, globals, toTime);
  }

  /** The same request for the backup a point-in-time plan chose. */
  public RestoreRequest withBackup(String backupId) {
    return new RestoreRequest(database, backupId, target, targetPasswordRef, jobs, clean, tables, schemaOnly,
        dataOnly, noOwner, globals, toTime);
  }

  public DbTarget dbTarget() {
    return new DbTarget(database, target, targetPasswordRef);
  }
}
