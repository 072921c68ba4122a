package lifeboat.workflows.model;

/**
 * Input of {@code RestoreWorkflow}.
 *
 * @param database           database name from lifeboat.yaml whose backups are restored
 * @param backup             a backup id, or "latest" for the newest verified backup
 * @param target             a postgres URL (postgresql://user@host:port/db, no password) or a SQLite file path
 * @param targetPasswordRef  a secret reference (env:NAME, file:PATH) for the target's password, or null
 * @param jobs               pg_restore parallel jobs; above 1 the decrypted dump is staged in a temp file
 * @param clean              restore into a non-empty target, dropping the objects the backup contains
 */
public record RestoreRequest(
    String database, String backup, String target, String targetPasswordRef, int jobs, boolean clean) {

  public static final String LATEST = "latest";
}
