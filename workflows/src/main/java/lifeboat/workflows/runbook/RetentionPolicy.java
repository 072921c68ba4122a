package lifeboat.workflows.runbook;

/**
 * Grandfather-father-son retention: keep the newest verified backup of each of the last N days, weeks,
 * months and years, and never anything younger than {@code minAge}. Null fields take the defaults.
 */
public record RetentionPolicy(Integer daily, Integer weekly, Integer monthly, Integer yearly, String minAge,
    String timeZone) {

  public static final RetentionPolicy DEFAULT = new RetentionPolicy(7, 4, 12, 7, "24h", "UTC");

  public RetentionPolicy withDefaults() {
    return new RetentionPolicy(
        daily == null ? DEFAULT.daily : daily,
        weekly == null ? DEFAULT.weekly : weekly,
        monthly == null ? DEFAULT.monthly : monthly,
        yearly == null ? DEFAULT.yearly : yearly,
        minAge == null ? DEFAULT.minAge : minAge,
        timeZone == null ? DEFAULT.timeZone : timeZone);
  }
}
