package lifeboat.workflows.runbook;

/**
 * When to raise an alarm about a database's backups.
 *
 * @param maxAge             newest verified backup older than this is an alarm, default "26h"
 * @param sizeChangePercent  a backup whose size differs from the previous one by more than this, either
 *                           way, is an alarm, default 20
 */
public record AlarmPolicy(String maxAge, Integer sizeChangePercent) {

  public static final AlarmPolicy DEFAULT = new AlarmPolicy("26h", 20);

  public AlarmPolicy withDefaults() {
    return new AlarmPolicy(maxAge == null ? DEFAULT.maxAge : maxAge,
        sizeChangePercent == null ? DEFAULT.sizeChangePercent : sizeChangePercent);
  }
}
