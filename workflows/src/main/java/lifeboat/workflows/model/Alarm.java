package lifeboat.workflows.model;

/**
 * One reason a database's backups need attention.
 *
 * @param kind     stable, for metrics labels and scripts: {@link #NO_BACKUP}, {@link #STALE},
 *                 {@link #SIZE_CHANGE}, {@link #UNREADABLE}
 * @param message  for people: what is wrong, with the numbers and the limit
 */
public record Alarm(String kind, String message) {
  public static final String NO_BACKUP = "no-backup";
  public static final String STALE = "stale";
  public static final String SIZE_CHANGE = "size-change";
  /** The repository could not be read for this database (unknown database, storage failure). */
  public static final String UNREADABLE = "unreadable";

  public static final java.util.List<String> KINDS = java.util.List.of(NO_BACKUP, STALE, SIZE_CHANGE, UNREADABLE);
}
