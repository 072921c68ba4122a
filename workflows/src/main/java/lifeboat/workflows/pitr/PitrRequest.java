package lifeboat.workflows.pitr;

/**
 * A restore of a PostgreSQL database's cluster to a moment: a base backup, then WAL from the archive up to the
 * target, into a new cluster in an empty folder of the worker's host, started on a port. Exactly one target.
 *
 * @param database    a database of the worker's lifeboat.yaml, with a WAL archive (or only base backups, for
 *                    {@code immediate})
 * @param backupId    the base backup to start from; null: the newest one that ends before the target
 * @param targetTime  ISO-8601 with an offset ({@code 2026-12-01T14:32:07Z}); recovery stops before the first
 *                    transaction committed after it
 * @param targetLsn   {@code 16/B374D848}: recovery stops after this WAL position
 * @param immediate   stop as soon as the base backup is consistent (none of the three: recover to the end of the
 *                    archive, the newest moment there is)
 * @param dir         where the new cluster goes: must be empty or not exist, on the worker's host; null for a
 *                    drill's throwaway cluster (a folder of the worker's, removed at its teardown)
 * @param port        the port it listens on, on 127.0.0.1; 0 for a drill's (a free one)
 * @param targetName  a named restore point (`lifeboat restore-point`): recovery stops at it
 * @param targetXid   a transaction id: recovery stops after it commits
 */
public record PitrRequest(String database, String backupId, String targetTime, String targetLsn, boolean immediate,
    String dir, int port, String targetName, String targetXid) {

  /** A request without a named or transaction target, as every one before them had. */
  public PitrRequest(String database, String backupId, String targetTime, String targetLsn, boolean immediate,
      String dir, int port) {
    this(database, backupId, targetTime, targetLsn, immediate, dir, port, null, null);
  }

  /** A drill's restore: into a throwaway cluster the worker places, removed whatever happens. */
  public boolean throwaway() {
    return dir == null;
  }

  /** Whether recovery runs to the end of the archive (no target given). */
  public boolean toEnd() {
    return targetTime == null && targetLsn == null && targetName == null && targetXid == null && !immediate;
  }

  /** The target in words, as reports and refusals name it. */
  public String target() {
    if (targetTime != null) {
      return "time " + targetTime;
    }
    if (targetLsn != null) {
      return "LSN " + targetLsn;
    }
    if (targetName != null) {
      return "restore point " + targetName;
    }
    if (targetXid != null) {
      return "transaction " + targetXid;
    }
    if (immediate) {
      return "the end of base backup " + (backupId == null ? "(the newest)" : backupId);
    }
    return "the end of the WAL archive";
  }
}
