package lifeboat.activities.wal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;

/**
 * The archive's slot kept on each streaming standby (wal.standbys), moved along with the primary's as segments
 * are stored. Slots are not replicated: without this, a standby promoted by a failover would have removed the
 * WAL the archive had not stored yet by the time the archive follows it (its end-of-recovery checkpoint recycles
 * it), and the archive would have a gap at the switch. With it, the new primary still holds everything from the
 * archive's end, under the slot the archive then streams from.
 *
 * <p>A standby that cannot be reached or refuses never stops the archive (the primary's WAL matters first); each
 * one's state is a line in archive.json, which `wal status` shows.
 */
final class StandbySlots implements AutoCloseable {
  private final String slot;
  private final Map<String, Connection> open = new LinkedHashMap<>();
  private final Map<String, String> lines = new LinkedHashMap<>();

  private StandbySlots(String slot) {
    this.slot = slot;
  }

  /** Connects to each standby and makes the slot there if missing; a server not in recovery is left alone. */
  static StandbySlots open(List<DbConnection> standbys, String slot) {
    StandbySlots slots = new StandbySlots(slot);
    for (DbConnection standby : standbys) {
      String name = standby.display();
      try {
        Connection c = Jdbc.open(standby);
        if (!inRecovery(c)) {
          c.close();
          slots.lines.put(name, name + ": not in recovery (the primary now?): no slot kept there");
          continue;
        }
        WalStreamer.Slots.create(c, slot); // reserving from the standby's last restart point; there already: fine
        slots.open.put(name, c);
        slots.lines.put(name, name + ": slot " + slot + " there, not moved yet");
      } catch (SQLException | RuntimeException e) {
        slots.lines.put(name, name + ": slot " + slot + " not kept: " + e.getMessage());
      }
    }
    return slots;
  }

  /** Moves the slot on every standby to {@code lsn} (a standby moves it at most to what it has replayed). */
  void advance(long lsn) {
    for (Map.Entry<String, Connection> e : List.copyOf(open.entrySet())) {
      try (PreparedStatement st = e.getValue().prepareStatement("select end_lsn::text from"
          + " pg_replication_slot_advance(?, ?::pg_lsn)")) {
        st.setString(1, slot);
        st.setString(2, WalNames.lsn(lsn));
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          lines.put(e.getKey(), e.getKey() + ": slot " + slot + " kept at " + rs.getString(1));
        }
      } catch (SQLException ex) {
        lines.put(e.getKey(), e.getKey() + ": slot " + slot + " not kept: " + ex.getMessage());
        closeQuietly(open.remove(e.getKey()));
      }
    }
  }

  List<String> lines() {
    return new ArrayList<>(lines.values());
  }

  private static boolean inRecovery(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException ignored) {
      // gone already
    }
  }

  @Override
  public void close() {
    open.values().forEach(StandbySlots::closeQuietly);
    open.clear();
  }
}
