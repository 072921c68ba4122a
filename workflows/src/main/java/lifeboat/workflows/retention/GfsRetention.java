package lifeboat.workflows.retention;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.RetentionPolicy;

/**
 * Grandfather-father-son retention as a pure function of the backups, the time and the policy (docs/retention.md).
 *
 * <ul>
 *   <li>Buckets (day, ISO week, month, year) are calendar periods in the policy's time zone.</li>
 *   <li>A bucket's representative is its newest <b>verified</b> backup; unverified backups never represent one.</li>
 *   <li>"daily N" keeps the representatives of the newest N days <b>that have a verified backup</b>: days
 *       without one do not use up the quota, so an outage never makes retention keep fewer backups.</li>
 *   <li>Always kept: the newest verified backup; anything younger than minAge; unverified backups newer than
 *       the newest verified one (they may be a verification in progress or a problem someone must look at).</li>
 *   <li>Deleted: verified backups that represent no counted bucket, and unverified backups older than the newest
 *       verified one, once they are older than minAge.</li>
 * </ul>
 * No I/O and no clock: {@code now} is a parameter, so a workflow can call it and tests can pin any calendar.
 */
public final class GfsRetention {

  private GfsRetention() {}

  /** A bucket kind: its name in reasons, its quota in the policy, and the bucket a local date falls in. */
  private record Kind(String name, Function<RetentionPolicy, Integer> quota, Function<LocalDate, String> bucket) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("daily", RetentionPolicy::daily, LocalDate::toString),
      new Kind("weekly", RetentionPolicy::weekly, d -> String.format(Locale.ROOT, "%d-W%02d",
          d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
      new Kind("monthly", RetentionPolicy::monthly, d -> String.format(Locale.ROOT, "%d-%02d",
          d.getYear(), d.getMonthValue())),
      new Kind("yearly", RetentionPolicy::yearly, d -> Integer.toString(d.getYear())));

  /**
   * The decision for every backup, newest first (by backup id, which sorts by time).
   *
   * @throws IllegalArgumentException when the policy is invalid (negative count, unknown zone, bad minAge)
   */
  public static List<RetentionDecision> plan(List<BackupManifest> backups, Instant now, RetentionPolicy policy) {
    RetentionPolicy p = validated(policy);
    ZoneId zone = ZoneId.of(p.timeZone());
    Duration minAge = Durations.parse(p.minAge());

    List<BackupManifest> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(Comparator.comparing(BackupManifest::backupId).reversed());
    Map<String, Instant> times = new HashMap<>();
    for (BackupManifest b : newestFirst) {
      Instant t = startOf(b);
      if (t != null) {
        times.put(b.backupId(), t);
      }
    }
    BackupManifest newestVerified = newestFirst.stream().filter(BackupManifest::verified).findFirst().orElse(null);

    // Reasons to keep, per backup id, in the order: newest verified, daily, weekly, monthly, yearly, ...
    Map<String, List<String>> keep = new LinkedHashMap<>();
    newestFirst.forEach(b -> keep.put(b.backupId(), new ArrayList<>()));
    if (newestVerified != null) {
      keep.get(newestVerified.backupId()).add("newest verified");
    }
    for (Kind kind : KINDS) {
      int quota = kind.quota().apply(p);
      Set<String> counted = new HashSet<>();
      for (BackupManifest b : newestFirst) {
        Instant t = times.get(b.backupId());
        if (counted.size() == quota) {
          break;
        }
        if (!b.verified() || t == null) {
          continue;
        }
        String bucket = kind.bucket().apply(t.atZone(zone).toLocalDate());
        if (counted.add(bucket)) { // newest first: the first verified backup met in a bucket represents it
          keep.get(b.backupId()).add(kind.name() + " " + bucket);
        }
      }
    }

    Set<String> daysSeen = new HashSet<>();
    List<RetentionDecision> out = new ArrayList<>();
    for (BackupManifest b : newestFirst) {
      List<String> reasons = keep.get(b.backupId());
      Instant t = times.get(b.backupId());
      boolean newerThanNewestVerified = newestVerified == null
          || b.backupId().compareTo(newestVerified.backupId()) > 0;
      if (t == null) {
        reasons.add("start time unreadable");
      } else if (Duration.between(t, now).compareTo(minAge) < 0) {
        reasons.add("younger than minAge " + p.minAge());
      }
      if (!b.verified() && newerThanNewestVerified) {
        reasons.add(newestVerified == null ? "not verified, and no backup is verified"
            : "not verified, newer than the newest verified");
      }
      String day = t == null ? null : t.atZone(zone).toLocalDate().toString();
      String reason;
      if (!reasons.isEmpty()) {
        reason = String.join(", ", reasons);
      } else if (!b.verified()) {
        reason = "not verified, older than the newest verified";
      } else if (daysSeen.contains(day)) {
        reason = "a newer backup represents " + day;
      } else {
        reason = "represents no kept bucket";
      }
      if (b.verified() && day != null) {
        daysSeen.add(day);
      }
      out.add(new RetentionDecision(b.backupId(), b.startedAt(), b.verified(), !reasons.isEmpty(), reason, null));
    }
    return out;
  }

  /** The policy with defaults filled in, or an IllegalArgumentException saying what is wrong with it. */
  public static RetentionPolicy validated(RetentionPolicy policy) {
    RetentionPolicy p = policy == null ? RetentionPolicy.DEFAULT : policy.withDefaults();
    for (Kind kind : KINDS) {
      if (kind.quota().apply(p) < 0) {
        throw new IllegalArgumentException(kind.name() + " must be 0 or more, not " + kind.quota().apply(p));
      }
    }
    try {
      ZoneId.of(p.timeZone());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + p.timeZone() + "' (write e.g. UTC, Europe/Berlin)");
    }
    if (Durations.parse(p.minAge()).isNegative()) {
      throw new IllegalArgumentException("minAge must not be negative: " + p.minAge());
    }
    return p;
  }

  /** When a backup started: its manifest's startedAt, else the time its id encodes, else null. */
  static Instant startOf(BackupManifest b) {
    try {
      return Instant.parse(b.startedAt());
    } catch (RuntimeException e) {
      return BackupIds.startedAt(b.backupId()).orElse(null);
    }
  }
}
