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
}
