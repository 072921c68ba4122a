package lifeboat.activities.wal;

import java.util.List;
import lifeboat.activities.repository.Repository;

/**
 * {@code wal/<db>/archive.json}: which cluster the archive holds and how far it reaches, rewritten after every
 * store. The objects themselves are the record (their names say what they hold); this file adds what names
 * cannot: the cluster's system identifier, and when the newest WAL was stored.
 *
 * @param systemIdentifier  the cluster's (IDENTIFY_SYSTEM): another cluster is refused
 * @param segmentSize       the cluster's wal_segment_size, in bytes
 * @param timeline          the timeline being archived
 * @param slot              the replication slot the archive streams from
 * @param firstSegment      the oldest segment stored, and when
 * @param archivedLsn       the end of the WAL stored so far (full segments and the newest partial one)
 * @param archivedAtMillis  when {@code archivedLsn} was stored
 * @param serverLsn         the server's newest WAL at that moment (its flush position), for the lag
 * @param switches          where each earlier timeline ended (its history file, in plain words), so a listing
 *                          tells which timeline's name each segment must have without decrypting anything
 * @param standbySlots      the slot kept on each standby (wal.standbys), or why it is not: one line each
 */
public record ArchiveState(String systemIdentifier, long segmentSize, int timeline, String slot, String firstSegment,
    long firstStoredAtMillis, long archivedLsn, long archivedAtMillis, long serverLsn,
    List<TimelineHistory.Switch> switches, List<String> standbySlots) {

  public ArchiveState {
    switches = switches == null ? List.of() : List.copyOf(switches);
    standbySlots = standbySlots == null ? List.of() : List.copyOf(standbySlots);
  }

  /** The history of the archived timeline, as the server told it. */
  public TimelineHistory history() {
    return new TimelineHistory(timeline, switches);
  }

  public static String key(String database) {
    return WalArchive.prefix(database) + "archive.json";
  }

  /** The archive's state, or null when nothing was archived yet. */
  public static ArchiveState read(Repository repo, String database) {
    return SmallJson.read(repo, key(database), ArchiveState.class,
        "the archive streams on and rewrites it; if it persists, check the repository");
  }

  public void write(Repository repo, String database) {
    SmallJson.write(repo, key(database), this);
  }

  /**
   * How far the archive reaches now, on the current timeline of {@code history} (a later one once it follows a
   * promoted server).
   */
  public ArchiveState archived(TimelineHistory history, long lsn, long atMillis, long serverFlushLsn,
      List<String> standbys) {
    return new ArchiveState(systemIdentifier, segmentSize, history.current(), slot, firstSegment,
        firstStoredAtMillis, lsn, atMillis, serverFlushLsn, history.switches(), standbys);
  }
}
