package lifeboat.workflows.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * Backup ids sort by time as plain strings ({@code 20261126T052601Z-3f2a}), so a repository listing is
 * already in order. The suffix keeps two backups started in the same second apart.
 */
public final class BackupIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BackupIds() {}

  public static String newId(long epochMillis, UUID random) {
    return STAMP.format(Instant.ofEpochMilli(epochMillis)) + "-" + random.toString().substring(0, 4);
  }

  /** When the backup with this id started, or empty for a name that is not a Lifeboat backup id. */
  public static Optional<Instant> startedAt(String backupId) {
    int dash = backupId.indexOf('-');
    try {
      return Optional.of(Instant.from(STAMP.parse(dash < 0 ? backupId : backupId.substring(0, dash))));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }
}
