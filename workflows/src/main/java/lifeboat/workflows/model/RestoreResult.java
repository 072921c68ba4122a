package lifeboat.workflows.model;

/** Output of {@code RestoreWorkflow}: what was restored where, and what the post-restore check saw. */
public record RestoreResult(
    String backupId, String database, String target, long restoredBytes, long durationMillis, String check) {

  /** The result with what a binlog replay then did (MariaDB point in time) appended to its check. */
  public RestoreResult withReplay(String replayed) {
    return new RestoreResult(backupId, database, target, restoredBytes, durationMillis, check + "; " + replayed);
  }
}
