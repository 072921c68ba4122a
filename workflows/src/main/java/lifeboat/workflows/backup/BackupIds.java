package lifeboat.workflows.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * Backup ids sort by time as plain strings ({@code 20261126T052601.347Z-3f2a}), so a repository listing is
 * already in order. Milliseconds, because two backups of one database can start in the same second (an
 * ad-hoc run beside a scheduled one) and "newest" must not come down to the random suffix, which only
 * keeps two ids of the same millisecond apart.
 */
public final class BackupIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** The stamp of ids written before milliseconds were added. */
  private static final DateTimeFormatter SECONDS_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BackupIds() {}

  public static String newId(long epochMillis, UUID random) {
    return STAMP.format(Instant.ofEpochMilli(epochMillis)) + "-" + random.toString().substring(0, 4);
  }

  /** When the backup with this id started, or empty for a name that is not a Lifeboat backup id. */
  public static Optional<Instant> startedAt(String backupId) {
    int dash = backupId.indexOf('-');
    String stamp = dash < 0 ? backupId : backupId.substring(0, dash);
    for (DateTimeFormatter format : new DateTimeFormatter[] {STAMP, SECONDS_STAMP}) {
      try {
        return Optional.of(Instant.from(format.parse(stamp)));
      } catch (java.time.DateTimeException e) {
        // try the next format
      }
    }
    return Optional.empty();
  }
}
