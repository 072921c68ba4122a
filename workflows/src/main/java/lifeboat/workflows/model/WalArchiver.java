package lifeboat.workflows.model;

/**
 * PostgreSQL's archiver as {@code pg_stat_archiver} reports it, for a database in archive_command mode: a push
 * that keeps failing shows here (the error itself is in the server's log). Every field is null when the server
 * could not be asked.
 *
 * @param archivedCount        files pushed successfully since the statistics were reset
 * @param lastArchivedWal      the newest file pushed successfully
 * @param lastArchivedAtMillis when
 * @param failedCount          failed pushes since the statistics were reset
 * @param lastFailedWal        the file of the newest failed push
 * @param lastFailedAtMillis   when
 */
public record WalArchiver(Long archivedCount, String lastArchivedWal, Long lastArchivedAtMillis, Long failedCount,
    String lastFailedWal, Long lastFailedAtMillis) {

  /** Whether the newest push failed: the last failure is newer than the last success. */
  public boolean failing() {
    return lastFailedAtMillis != null && (lastArchivedAtMillis == null || lastFailedAtMillis > lastArchivedAtMillis);
  }
}
