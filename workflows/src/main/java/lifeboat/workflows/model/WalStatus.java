package lifeboat.workflows.model;

import java.util.List;

/**
 * A database's WAL archive as `lifeboat wal status` and `lifeboat check` see it: what the repository holds and
 * how far behind the server it is. LSNs are written as PostgreSQL writes them ({@code 0/3000148}).
 *
 * @param firstSegment        the oldest full segment stored, or null when none is
 * @param newestSegment       the newest full segment stored, or null
 * @param segments            full segments stored
 * @param gaps                segments missing between the oldest and the newest, each under the timeline
 *                            recovery looks it up on (across a failover's switch, too)
 * @param archivedLsn         the end of the WAL stored (full segments and the newest partial one), or null
 * @param archivedAtMillis    when it was stored, or null
 * @param serverLsn           the server's current write position, or null when it could not be asked
 * @param lagBytes            WAL the server has and the archive does not yet, or null
 * @param lagSeconds          how long ago the archive last caught up with the server (0 when it has everything)
 * @param slotActive          whether a stream holds the slot now; null when the slot is not there
 * @param slotRetainedBytes   WAL the slot keeps on the server (current position − restart point), or null
 * @param maxLagSeconds       the lag limit `check` applies
 * @param maxSlotRetainedBytes the slot limit `check` applies
 * @param serverProblem       why the server could not be asked, or null
 * @param archiver            archive_command mode only (then there is no slot, and {@code slot} is null): PostgreSQL's
 *                            archiver, whose failures the server logs; null in stream mode and in histories recorded
 *                            before the mode existed
 * @param following           the new primary a failover pointed the archive at (wal/DB/follow.json), or null
 *                            while it follows lifeboat.yaml's url
 * @param standbySlots        the archive's slot on each of wal.standbys, or why it is not kept: one line each
 */
public record WalStatus(String database, String slot, int timeline, String firstSegment, Long firstStoredAtMillis,
    String newestSegment, int segments, List<String> gaps, String archivedLsn, Long archivedAtMillis,
    String serverLsn, Long lagBytes, Long lagSeconds, Boolean slotActive, String slotRestartLsn,
    Long slotRetainedBytes, long maxLagSeconds, long maxSlotRetainedBytes, String serverProblem,
    WalArchiver archiver, String following, List<String> standbySlots) {

  /**
   * A MariaDB binlog archive's status (files for segments, file:bytes for LSNs): no timeline (PostgreSQL's start
   * at 1), neither a slot (stream mode) nor PostgreSQL's archiver (archive_command mode). Such statuses began with
   * MariaDB: recorded histories never hold one.
   */
  public boolean binlog() { // not isBinlog(): Jackson would take it for a property
    return timeline == 0 && slot == null && archiver == null;
  }
}
