package lifeboat.workflows.check;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.BackupHeartbeat;
import lifeboat.workflows.model.BackupStatus;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.runbook.AlarmPolicy;
import lifeboat.workflows.runbook.Durations;

/**
 * When a database's backups raise an alarm. A pure function of what was read and the time, so it is
 * deterministic in a workflow and tested without one.
 *
 * <ul>
 *   <li>{@code no-backup}: no verified backup at all;</li>
 *   <li>{@code stale}: the newest verified backup (the newer of the heartbeat and the newest manifest)
 *       finished longer ago than {@code maxAge};</li>
 *   <li>{@code size-change}: its dump size differs from the previous verified backup's by more than
 *       {@code sizeChangePercent}, either way. The dump (raw) size is compared: the stored size also moves
 *       with the compression level.</li>
 *   <li>{@code drill-leftover}: a drill is over and its throwaway target was not torn down (what the
 *       ReadBackupStatus step found in the repository's drill-target ledger).</li>
 *   <li>{@code wal-lag}, {@code wal-gap}, {@code wal-slot}: a database with a WAL archive ({@link WalAlarms}).</li>
 * </ul>
 * The WAL alarms need no Workflow.getVersion: they come only from a status's {@code wal}, which results recorded
 * before archives existed do not have, so a replayed check decides as it did.
 */
public final class AlarmRules {
  private AlarmRules() {}

  public static DatabaseCheck evaluate(BackupStatus status, AlarmPolicy policy, Instant now) {
    AlarmPolicy limits = policy.withDefaults();
    Duration maxAge = Durations.parse(limits.maxAge());
    int sizeLimit = limits.sizeChangePercent();
    List<Alarm> alarms = new ArrayList<>();
    for (String left : status.drillLeftovers() == null ? List.<String>of() : status.drillLeftovers()) {
      alarms.add(new Alarm(Alarm.DRILL_LEFTOVER, left));
    }
    alarms.addAll(WalAlarms.of(status.wal()));
    List<BackupHeartbeat> verified = status.newestVerified() == null ? List.of() : status.newestVerified();
    BackupHeartbeat newest = newest(status.heartbeat(), verified.isEmpty() ? null : verified.get(0));
    if (newest == null) {
      alarms.add(new Alarm(Alarm.NO_BACKUP, "no verified backup of " + status.database()));
      return new DatabaseCheck(status.database(), alarms, null, null, null, limits.maxAge(), 0, 0, null, null,
          sizeLimit);
    }
    Duration age = Duration.between(instant(newest.time()), now);
    if (age.compareTo(maxAge) > 0) {
      alarms.add(new Alarm(Alarm.STALE, "newest verified backup " + newest.backupId() + " is " + human(age)
          + " old (limit " + limits.maxAge() + ")"));
    }
    Long previousRaw = null;
    Double change = null;
    if (verified.size() >= 2 && verified.get(0).backupId().equals(newest.backupId())
        && verified.get(1).rawBytes() > 0) {
      BackupHeartbeat previous = verified.get(1);
      previousRaw = previous.rawBytes();
      change = percentChange(previous.rawBytes(), newest.rawBytes());
      if (Math.abs(change) > sizeLimit) {
        alarms.add(new Alarm(Alarm.SIZE_CHANGE, String.format(Locale.ROOT,
            "backup %s is %.1f%% %s than the one before (%d → %d bytes; limit %d%% either way)",
            newest.backupId(), Math.abs(change), change < 0 ? "smaller" : "larger", previous.rawBytes(),
            newest.rawBytes(), sizeLimit)));
      }
    }
    return new DatabaseCheck(status.database(), alarms, newest.backupId(), newest.time(), age.toSeconds(),
        limits.maxAge(), newest.rawBytes(), newest.storedBytes(), previousRaw, change, sizeLimit);
  }

  /** A database whose backups could not be read: an alarm, since nobody can tell they are fine. */
  public static DatabaseCheck unreadable(String database, AlarmPolicy policy, String why) {
    AlarmPolicy limits = policy.withDefaults();
    return new DatabaseCheck(database, List.of(new Alarm(Alarm.UNREADABLE, "cannot read backups: " + why)),
        null, null, null, limits.maxAge(), 0, 0, null, null, limits.sizeChangePercent());
  }

  /** Refuses limits that cannot be applied: an unparseable maxAge, a negative percentage. */
  public static void validate(AlarmPolicy policy, String usedFor) {
    AlarmPolicy limits = policy.withDefaults();
    try {
      Durations.parse(limits.maxAge());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("maxAge of " + usedFor + ": " + e.getMessage());
    }
    if (limits.sizeChangePercent() < 0) {
      throw new IllegalArgumentException("sizeChangePercent of " + usedFor + " must be 0 or more");
    }
  }

  static double percentChange(long previous, long current) {
    return (current - previous) * 100.0 / previous;
  }

  private static BackupHeartbeat newest(BackupHeartbeat heartbeat, BackupHeartbeat manifest) {
    if (heartbeat == null || manifest == null) {
      return heartbeat == null ? manifest : heartbeat;
    }
    return instant(heartbeat.time()).isAfter(instant(manifest.time())) ? heartbeat : manifest;
  }

  private static Instant instant(String iso) {
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH; // an unreadable time counts as very old: the alarm says so, rather than nothing
    }
  }

  static String human(Duration d) {
    long minutes = d.toMinutes();
    if (minutes < 120) {
      return minutes + "m";
    }
    long hours = d.toHours();
    return hours < 72 ? hours + "h" : (hours / 24) + "d " + (hours % 24) + "h";
  }
}
