package lifeboat.cli.wal;

import java.io.PrintWriter;
import java.time.Instant;
import lifeboat.workflows.model.WalArchiver;
import lifeboat.workflows.model.WalStatus;

/** `lifeboat wal status` as text: one fact per line, the problems first. */
final class WalStatusText {
  private WalStatusText() {}

  static void print(WalStatusCommand.Archiving archiving, WalStatus s, Instant now, PrintWriter out) {
    out.println("archiving:  " + archiving.state() + " (workflow " + archiving.workflowId() + ")"
        + (archiving.state().equals("running") ? "" : "  start it with: lifeboat wal start " + s.database()));
    archiving.retrying().forEach(r -> out.println("retrying:   " + r.line(now)));
    if (s.binlog()) {
      binlog(s, out);
      return;
    }
    if (s.firstSegment() == null) {
      out.println("archived:   nothing yet" + (s.archivedLsn() == null ? "" : " but the segment being written,"
          + " up to " + s.archivedLsn()));
    } else {
      out.println("archived:   " + s.segments() + " segments, " + s.firstSegment() + " (" + at(s.firstStoredAtMillis())
          + ") to " + s.newestSegment() + ", timeline " + s.timeline());
      out.println("up to:      " + s.archivedLsn() + " stored " + at(s.archivedAtMillis()));
    }
    if (s.following() != null) {
      out.println("following:  " + s.following());
    }
    if (s.serverProblem() != null) {
      out.println("server:     cannot ask it: " + s.serverProblem());
    } else {
      out.println("server:     at " + s.serverLsn() + "; lag " + bytes(s.lagBytes()) + ", "
          + (s.lagSeconds() == null ? "unknown" : s.lagSeconds() + " s") + " (limit " + s.maxLagSeconds() + " s)");
      if (s.archiver() != null) {
        archiver(s.archiver(), out);
      } else {
        out.println("slot:       " + s.slot() + (s.slotActive() == null ? " is not on the server"
            : (s.slotActive() ? " streaming" : " idle") + ", holds " + bytes(s.slotRetainedBytes()) + " from "
            + s.slotRestartLsn() + " (limit " + bytes(s.maxSlotRetainedBytes()) + ")"));
      }
    }
    if (s.standbySlots() != null) {
      s.standbySlots().forEach(line -> out.println("standby:    " + line));
    }
    out.println("gaps:       " + (s.gaps().isEmpty() ? "none" : s.gaps().size() + " missing segment(s): "
        + String.join(", ", s.gaps().subList(0, Math.min(5, s.gaps().size())))
        + (s.gaps().size() > 5 ? ", ..." : "")));
  }

  /** A MariaDB binlog archive: files and file:bytes positions, no slot, no timeline. */
  private static void binlog(WalStatus s, PrintWriter out) {
    if (s.archivedLsn() == null) {
      out.println("archived:   nothing yet");
    } else {
      out.println("archived:   " + s.segments() + " whole binlog file(s) from " + s.firstSegment()
          + (s.newestSegment() == null ? "" : " to " + s.newestSegment()));
      out.println("up to:      " + s.archivedLsn() + ", its newest event " + at(s.archivedAtMillis()));
    }
    if (s.serverProblem() != null) {
      out.println("server:     cannot ask it: " + s.serverProblem());
    } else {
      out.println("server:     at " + s.serverLsn() + "; lag " + bytes(s.lagBytes()) + ", "
          + (s.lagSeconds() == null ? "unknown" : s.lagSeconds() + " s") + " (limit " + s.maxLagSeconds() + " s)");
    }
    out.println("slot:       none (MariaDB: the binlog is read as a replica reads it; the server keeps files until"
        + " they are purged, so purge only what `archived` lists)");
    out.println("gaps:       " + (s.gaps().isEmpty() ? "none" : s.gaps().size() + " missing binlog file(s): "
        + String.join(", ", s.gaps().subList(0, Math.min(5, s.gaps().size())))
        + (s.gaps().size() > 5 ? ", ..." : "")));
  }

  /** archive_command mode: no slot; PostgreSQL's archiver, and its failing push first when it fails. */
  private static void archiver(WalArchiver a, PrintWriter out) {
    out.println("slot:       none (archive_command mode: PostgreSQL pushes each WAL file; the wal-slot alarm does"
        + " not apply)");
    if (a.failing()) {
      out.println("failing:    archive_command failed " + a.failedCount() + " time(s), last for " + a.lastFailedWal()
          + " " + at(a.lastFailedAtMillis()) + "; the error is in the server's log");
    }
    out.println("archiver:   " + a.archivedCount() + " pushed, last " + (a.lastArchivedWal() == null ? "none"
        : a.lastArchivedWal() + " " + at(a.lastArchivedAtMillis())) + "; " + a.failedCount() + " failed"
        + (a.lastFailedWal() == null ? "" : ", last " + a.lastFailedWal() + " " + at(a.lastFailedAtMillis())));
  }

  private static String at(Long millis) {
    return millis == null ? "?" : Instant.ofEpochMilli(millis).toString();
  }

  static String bytes(Long n) {
    if (n == null) {
      return "?";
    }
    if (n < 1024 * 1024) {
      return n + " B";
    }
    return String.format(java.util.Locale.ROOT, "%.1f MB", n / 1048576.0);
  }
}
