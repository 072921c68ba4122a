package lifeboat.workflows.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

  /** The start time an id encodes (to the second), or null when the id is not one of ours. */
  public static Instant instantOf(String backupId) {
    try {
      int dash = backupId.indexOf('-');
      return Instant.from(STAMP.parse(dash < 0 ? backupId : backupId.substring(0, dash)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
