package lifeboat.workflows.model;

import java.util.List;

/**
 * What a check reads about one database: its heartbeat (null when none was written), its newest verified
 * backups, newest first (at most two: the newest and the one before it, for the size comparison), and the
 * throwaway targets finished drills left behind, one line each (null in results recorded before they were
 * read), and its WAL archive (null when it has none, and in results recorded before archives existed).
 */
public record BackupStatus(String database, BackupHeartbeat heartbeat, List<BackupHeartbeat> newestVerified,
    List<String> drillLeftovers, WalStatus wal) {
  public BackupStatus(String database, BackupHeartbeat heartbeat, List<BackupHeartbeat> newestVerified) {
    this(database, heartbeat, newestVerified, List.of(), null);
  }

  public BackupStatus(String database, BackupHeartbeat heartbeat, List<BackupHeartbeat> newestVerified,
      List<String> drillLeftovers) {
    this(database, heartbeat, newestVerified, drillLeftovers, null);
  }
}
