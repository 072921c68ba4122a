package lifeboat.workflows.model;

/**
 * The newest verified backup of a database, as {@code heartbeat/<database>.json} in its repository records
 * it: rewritten by PublishManifest right after each manifest, so a monitor can read one small file instead
 * of listing backups. The same shape describes a manifest in a check.
 *
 * @param time         when the backup was published (ISO-8601 instant)
 * @param startedAt    when its dump started (ISO-8601 instant)
 * @param rawBytes     bytes the dump tool produced
 * @param storedBytes  bytes stored after compression and encryption
 */
public record BackupHeartbeat(
    String database, String backupId, String time, String startedAt, long rawBytes, long storedBytes) {

  /** A verified manifest seen as a heartbeat: its time is when the dump ended. */
  public static BackupHeartbeat of(BackupManifest m) {
    return new BackupHeartbeat(m.database(), m.backupId(), m.endedAt(), m.startedAt(), m.rawBytes(),
        m.storedBytes());
  }
}
