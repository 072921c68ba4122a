package lifeboat.workflows.drill;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.RestoreSpec;

/**
 * The random pick of a monthly drill, as a pure function: the caller passes workflow time and the workflow's
 * seeded Random, so a replay picks the same backup. "previous-month" is the calendar month before now, in UTC;
 * a duration ("30d") is that long back from now.
 */
public final class DrillWindow {
  private DrillWindow() {}

  /** [from, to) of the window. */
  public static Instant[] bounds(String window, Instant now) {
    if (window == null || RestoreSpec.PREVIOUS_MONTH.equals(window)) {
      YearMonth previous = YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1);
      return new Instant[] {previous.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
          previous.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()};
    }
    return new Instant[] {now.minus(Durations.parse(window)), now};
  }

  /** Checks a window as written in a runbook; throws IllegalArgumentException with the reason. */
  public static void validate(String window) {
    if (window != null && !RestoreSpec.PREVIOUS_MONTH.equals(window)) {
      Durations.parse(window);
    }
  }

  /** The candidates taken within the window; null when none is. */
  public static BackupManifest pick(List<BackupManifest> candidates, String window, Instant now, Random random) {
    Instant[] b = bounds(window, now);
    List<BackupManifest> within = candidates.stream().filter(m -> {
      Instant taken = takenAt(m);
      return taken != null && !taken.isBefore(b[0]) && taken.isBefore(b[1]);
    }).toList();
    return within.isEmpty() ? null : within.get(random.nextInt(within.size()));
  }

  private static Instant takenAt(BackupManifest m) {
    try {
      return m.startedAt() != null ? Instant.parse(m.startedAt()) : BackupIds.startedAt(m.backupId()).orElse(null);
    } catch (RuntimeException e) {
      return BackupIds.startedAt(m.backupId()).orElse(null);
    }
  }
}
