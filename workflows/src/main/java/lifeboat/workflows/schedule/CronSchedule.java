package lifeboat.workflows.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.ScheduleSpec;

/**
 * A runbook's schedule as pure logic: five-field UNIX cron read in an IANA time zone, plus an optional
 * jitter. No I/O and no clock of its own, so workflow code can use it with workflow time; the CLI uses the
 * same parsing to validate runbooks.
 */
public final class CronSchedule {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  public static final String DEFAULT_ZONE = "UTC";

  private final ExecutionTime execution;
  private final ZoneId zone;
  private final Duration jitter;

  private CronSchedule(ExecutionTime execution, ZoneId zone, Duration jitter) {
    this.execution = execution;
    this.zone = zone;
    this.jitter = jitter;
  }

  /** @throws IllegalArgumentException naming the part of the schedule that is wrong */
  public static CronSchedule of(ScheduleSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("no schedule");
    }
    return new CronSchedule(ExecutionTime.forCron(cron(spec.cron())), zone(spec.timeZone()), jitter(spec.jitter()));
  }

  /** What each nickname means, so the refusal can say it: @daily is midnight, not some other hour. */
  private static final java.util.Map<String, String> NICKNAMES = java.util.Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

  /** Parses a five-field cron expression; nicknames (@daily) and six-field (seconds) forms are refused. */
  public static Cron cron(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron is required, e.g. \"0 2 * * *\"");
    }
    String e = expression.strip();
    if (e.startsWith("@")) {
      String same = NICKNAMES.get(e.toLowerCase(java.util.Locale.ROOT));
      throw new IllegalArgumentException("cron nicknames like '" + e + "' are not accepted; write five fields"
          + (same == null ? "" : ": " + e + " is \"" + same + "\"")
          + ", or spell out the time you mean, e.g. \"0 2 * * *\" for 02:00 every day");
    }
    try {
      return UNIX.parse(e).validate();
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("not a five-field cron expression: '" + e + "' (" + ex.getMessage() + ")");
    }
  }

  /** An IANA zone id such as Europe/Berlin; null means UTC. Fixed offsets ("+02:00") are accepted too. */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null) {
      return ZoneId.of(DEFAULT_ZONE);
    }
    try {
      return ZoneId.of(timeZone.strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + timeZone + "' (write an IANA id like Europe/Berlin)");
    }
  }

  /** Up to this much random delay after each fire time; null means none. */
  public static Duration jitter(String jitter) {
    if (jitter == null) {
      return Duration.ZERO;
    }
    Duration d = Durations.parse(jitter);
    if (d.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative: '" + jitter + "'");
    }
    return d;
  }

  /**
   * The first fire time strictly after {@code after}, or null when the expression never fires again.
   *
   * <p>The cron expression is matched against wall-clock times of the zone, then each match is placed on the
   * time line: a wall time that a spring-forward change skips runs when the clocks have moved (02:30 becomes
   * 03:30 summer time, so a nightly run is not lost), and one that an autumn change repeats runs once, at its
   * first occurrence.
   */
  public Instant nextAfter(Instant after) {
    LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < 10_000; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(wall.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        return null;
      }
      wall = next.get().toLocalDateTime();
      Instant at = ZonedDateTime.ofLocal(wall, zone, null).toInstant();
      if (at.isAfter(after)) {
        return at;
      }
    }
    return null;
  }

  /** Whether the expression matches this wall-clock time (in whatever zone: fields only, no time line). */
  public boolean matchesWallTime(LocalDateTime wall) {
    return execution.isMatch(wall.atZone(ZoneOffset.UTC));
  }

  public ZoneId zone() {
    return zone;
  }

  public Duration jitter() {
    return jitter;
  }
}
