package lifeboat.workflows.model;

/**
 * Output of {@code BackupWorkflow}.
 *
 * @param verification  what the verification checked, as the manifest says it (null in results recorded before it
 *                      was carried here)
 */
public record BackupResult(
    String backupId, String database, long rawBytes, long storedBytes, long durationMillis, boolean verified,
    String location, String verification) {

  public BackupResult(String backupId, String database, long rawBytes, long storedBytes, long durationMillis,
      boolean verified, String location) {
    this(backupId, database, rawBytes, storedBytes, durationMillis, verified, location, null);
  }
}
