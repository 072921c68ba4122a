package lifeboat.workflows.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.WalStatus;

/**
 * A WAL archive's alarms, a pure function of its status: a stuck archive must not fill the primary's disk
 * unnoticed, nor leave the recovery point hours old while the nightly dump still looks fine.
 *
 * <ul>
 *   <li>{@code wal-gap}: segments missing between the oldest and newest archived;</li>
 *   <li>{@code wal-lag}: the server has WAL the archive lacks, and the archive last caught up longer ago than
 *       wal.maxLag; or nothing is archived yet;</li>
 *   <li>{@code wal-slot}: the slot holds more WAL on the server than wal.maxSlotRetained, or is not there; not in
 *       archive_command mode nor for a MariaDB binlog archive, which have no slot (the server keeps WAL its archiver has not pushed, which the lag
 *       shows, with the failing push named).</li>
 * </ul>
 * A server that cannot be asked raises none of them (its lag is unknown): the backup alarms cover a database
 * that is down.
 */
public final class WalAlarms {
  private WalAlarms() {}

  public static List<Alarm> of(WalStatus w) {
    List<Alarm> alarms = new ArrayList<>();
    if (w == null) {
      return alarms;
    }
    if (!w.gaps().isEmpty()) {
      alarms.add(new Alarm(Alarm.WAL_GAP, w.binlog()
          ? w.gaps().size() + " binlog file(s) missing from the archive, first " + w.gaps().get(0)
              + ": no point-in-time restore passes them; take a backup after them"
          : w.gaps().size() + " WAL segment(s) missing from the archive, first " + w.gaps().get(0)
              + ": no recovery passes them; take a base backup after them"));
    }
    if (w.serverProblem() != null) {
      return alarms;
    }
    if (w.archivedLsn() == null) {
      alarms.add(new Alarm(Alarm.WAL_LAG, "nothing archived yet: start it with `lifeboat wal start "
          + w.database() + "`"));
    } else if (w.lagSeconds() != null && w.lagSeconds() > w.maxLagSeconds()) {
      alarms.add(new Alarm(Alarm.WAL_LAG, String.format(Locale.ROOT, "the WAL archive is %d s behind the server"
          + " (%d bytes not stored; limit %d s)%s: see `lifeboat wal status %s`", w.lagSeconds(), w.lagBytes(),
          w.maxLagSeconds(), failingPush(w), w.database())));
    }
    if (w.archiver() != null || w.binlog()) {
      return alarms; // archive_command mode and a MariaDB binlog archive: no slot
    }
    if (w.slotActive() == null) {
      alarms.add(new Alarm(Alarm.WAL_SLOT, "replication slot " + w.slot() + " is not on the server: WAL not yet"
          + " archived may be gone; `lifeboat wal start " + w.database() + "` makes it, then take a base backup"));
    } else if (w.slotRetainedBytes() != null && w.slotRetainedBytes() > w.maxSlotRetainedBytes()) {
      alarms.add(new Alarm(Alarm.WAL_SLOT, String.format(Locale.ROOT, "replication slot %s holds %d bytes of WAL"
          + " on the server (limit %d): the archive is stuck or stopped and the primary's disk fills", w.slot(),
          w.slotRetainedBytes(), w.maxSlotRetainedBytes())));
    }
    return alarms;
  }

  /** In archive_command mode, the push PostgreSQL keeps failing, if it does: why the archive is behind. */
  private static String failingPush(WalStatus w) {
    if (w.archiver() == null || !w.archiver().failing()) {
      return "";
    }
    return String.format(Locale.ROOT, "; PostgreSQL's archive_command failed %d time(s), last for %s: its error"
        + " is in the server's log", w.archiver().failedCount(), w.archiver().lastFailedWal());
  }
}
