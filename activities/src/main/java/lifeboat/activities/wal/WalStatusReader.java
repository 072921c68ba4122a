package lifeboat.activities.wal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.WalArchiver;
import lifeboat.workflows.model.WalStatus;

/**
 * A database's WAL archive status: the repository's listing and state, and the server's position and slot; in
 * archive_command mode (no slot) its archiver's pg_stat_archiver instead.
 */
public final class WalStatusReader {
  private WalStatusReader() {}

  /** @param slot the replication slot, or null in archive_command mode */
  public static WalStatus read(WalArchive archive, String database, String slot, DbConnection db,
      long maxLagSeconds, long maxSlotRetainedBytes, long nowMillis) {
    ArchiveState state = ArchiveState.read(archive.repository(), database);
    long segmentSize = state == null ? 16L << 20 : state.segmentSize();
    SegmentPath path = SegmentPath.along(archive.list(), state == null ? null : state.history(), segmentSize,
        state == null ? 0 : state.archivedLsn());
    Long archivedLsn = state == null ? null : state.archivedLsn();
    Long serverLsn = null;
    Boolean slotActive = null;
    String restartLsn = null;
    Long retained = null;
    String problem = null;
    WalArchiver archiver = null;
    if (slot == null) {
      Pushed pushed = Pushed.read(db);
      serverLsn = pushed.serverLsn();
      archiver = pushed.archiver();
      problem = pushed.problem();
    } else {
      try (Connection c = Jdbc.open(db);
           PreparedStatement st = c.prepareStatement("select pg_current_wal_lsn()::text, s.active,"
               + " s.restart_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint"
               + " from (select 1) one left join pg_replication_slots s on s.slot_name = ?")) {
        st.setString(1, slot);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          serverLsn = WalNames.parseLsn(rs.getString(1));
          slotActive = (Boolean) rs.getObject(2);
          restartLsn = rs.getString(3);
          retained = rs.getObject(4) == null ? null : rs.getLong(4);
        }
      } catch (SQLException | LifeboatException e) {
        problem = e.getMessage();
      }
    }
    Long lagBytes = serverLsn == null ? null : Math.max(0, serverLsn - (archivedLsn == null ? 0 : archivedLsn));
    Long lagSeconds = null;
    if (state != null && lagBytes != null) {
      lagSeconds = lagBytes == 0 ? 0 : Math.max(0, (nowMillis - state.archivedAtMillis()) / 1000);
    }
    FollowedPrimary followed = FollowedPrimary.read(archive.repository(), database);
    return new WalStatus(database, slot, state == null ? 0 : state.timeline(),
        path.first(), state == null ? null : state.firstStoredAtMillis(), path.newest(), path.segments(),
        path.gaps(),
        archivedLsn == null ? null : WalNames.lsn(archivedLsn), state == null ? null : state.archivedAtMillis(),
        serverLsn == null ? null : WalNames.lsn(serverLsn), lagBytes, lagSeconds, slotActive, restartLsn, retained,
        maxLagSeconds, maxSlotRetainedBytes, problem, archiver, followed == null ? null : followed.url() + " since "
            + followed.since() + " (" + followed.reason() + ")", state == null ? List.of() : state.standbySlots());
  }

  /**
   * The archived segments along the history recovery follows: each segment number under the timeline PostgreSQL
   * looks it up on (the old one before a switch, the new one from the segment holding it). A segment missing on
   * that path is a gap, whatever else is stored under another timeline's name (an old primary's WAL past the
   * switch is no use to a recovery along the new timeline, and is not counted as covering it). Every segment
   * before the one the archive's end is in must be there whole, up to the newest partial one too.
   */
  record SegmentPath(String first, String newest, int segments, List<String> gaps) {
    static SegmentPath along(List<WalArchive.Entry> entries, TimelineHistory history, long segmentSize,
        long archivedLsn) {
      Map<Long, java.util.Set<Integer>> timelinesOf = new TreeMap<>();
      for (WalArchive.Entry e : entries) {
        if (e.isSegment()) {
          WalNames.Segment s = WalNames.parse(e.name(), segmentSize);
          timelinesOf.computeIfAbsent(s.number(), n -> new java.util.HashSet<>()).add(s.timeline());
        }
      }
      if (timelinesOf.isEmpty()) {
        return new SegmentPath(null, null, 0, List.of());
      }
      TreeSet<Long> onPath = new TreeSet<>();
      for (Map.Entry<Long, java.util.Set<Integer>> n : timelinesOf.entrySet()) {
        if (history == null || n.getValue().contains(history.timelineOf(n.getKey() * segmentSize, segmentSize))) {
          onPath.add(n.getKey());
        }
      }
      if (onPath.isEmpty()) {
        return new SegmentPath(null, null, 0, List.of());
      }
      List<String> gaps = new ArrayList<>();
      long upTo = Math.max(onPath.last(), archivedLsn / segmentSize - 1);
      for (long n = onPath.first(); n <= upTo; n++) {
        if (!onPath.contains(n)) {
          gaps.add(name(history, n, segmentSize));
        }
      }
      return new SegmentPath(name(history, onPath.first(), segmentSize), name(history, onPath.last(), segmentSize),
          onPath.size(), gaps);
    }

    private static String name(TimelineHistory history, long number, long segmentSize) {
      int timeline = history == null ? 1 : history.timelineOf(number * segmentSize, segmentSize);
      return new WalNames.Segment(timeline, number).name(segmentSize);
    }
  }

  /** archive_command mode: the server's position and its archiver's statistics. */
  private record Pushed(Long serverLsn, WalArchiver archiver, String problem) {
    static Pushed read(DbConnection db) {
      try (Connection c = Jdbc.open(db);
           PreparedStatement st = c.prepareStatement("select pg_current_wal_lsn()::text, archived_count,"
               + " last_archived_wal, (extract(epoch from last_archived_time) * 1000)::bigint, failed_count,"
               + " last_failed_wal, (extract(epoch from last_failed_time) * 1000)::bigint from pg_stat_archiver");
           ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Pushed(WalNames.parseLsn(rs.getString(1)), new WalArchiver(rs.getLong(2), rs.getString(3),
            (Long) rs.getObject(4), rs.getLong(5), rs.getString(6), (Long) rs.getObject(7)), null);
      } catch (SQLException | LifeboatException e) {
        return new Pushed(null, new WalArchiver(null, null, null, null, null, null), e.getMessage());
      }
    }
  }
}
