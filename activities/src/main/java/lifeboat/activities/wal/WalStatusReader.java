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
    Map<Integer, TreeSet<Long>> byTimeline = new TreeMap<>();
    for (WalArchive.Entry e : archive.list()) {
      if (e.isSegment()) {
        WalNames.Segment s = WalNames.parse(e.name(), segmentSize);
        byTimeline.computeIfAbsent(s.timeline(), t -> new TreeSet<>()).add(s.number());
      }
    }
    List<String> gaps = new ArrayList<>();
    WalNames.Segment first = null;
    WalNames.Segment newest = null;
    int segments = 0;
    for (Map.Entry<Integer, TreeSet<Long>> t : byTimeline.entrySet()) {
      TreeSet<Long> numbers = t.getValue();
      segments += numbers.size();
      for (long n = numbers.first(); n <= numbers.last(); n++) {
        if (!numbers.contains(n)) {
          gaps.add(new WalNames.Segment(t.getKey(), n).name(segmentSize));
        }
      }
      WalNames.Segment low = new WalNames.Segment(t.getKey(), numbers.first());
      WalNames.Segment high = new WalNames.Segment(t.getKey(), numbers.last());
      first = first == null ? low : first;
      newest = high;
    }
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
    return new WalStatus(database, slot, state == null ? 0 : state.timeline(),
        first == null ? null : first.name(segmentSize), state == null ? null : state.firstStoredAtMillis(),
        newest == null ? null : newest.name(segmentSize), segments, gaps,
        archivedLsn == null ? null : WalNames.lsn(archivedLsn), state == null ? null : state.archivedAtMillis(),
        serverLsn == null ? null : WalNames.lsn(serverLsn), lagBytes, lagSeconds, slotActive, restartLsn, retained,
        maxLagSeconds, maxSlotRetainedBytes, problem, archiver);
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
