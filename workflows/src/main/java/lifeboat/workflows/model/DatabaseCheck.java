package lifeboat.workflows.model;

import java.util.List;

/**
 * The verdict of a check on one database.
 *
 * @param alarms             empty when the database is fine
 * @param newestBackupId     null when there is no verified backup
 * @param newestBackupAt     when the newest verified backup finished (ISO-8601), or null
 * @param ageSeconds         its age at check time, or null
 * @param maxAge             the limit applied, as written ("26h")
 * @param rawBytes           the newest backup's dump size (0 when none)
 * @param storedBytes        its stored size (0 when none)
 * @param previousRawBytes   the dump size of the verified backup before it, or null
 * @param sizeChangePercent  (newest - previous) / previous in percent, or null
 * @param sizeChangeLimit    the limit applied, in percent either way
 */
public record DatabaseCheck(
    String database,
    List<Alarm> alarms,
    String newestBackupId,
    String newestBackupAt,
    Long ageSeconds,
    String maxAge,
    long rawBytes,
    long storedBytes,
    Long previousRawBytes,
    Double sizeChangePercent,
    int sizeChangeLimit) {

  public boolean ok() {
    return alarms.isEmpty();
  }
}
