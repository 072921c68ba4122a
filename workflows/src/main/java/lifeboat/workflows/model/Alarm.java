package lifeboat.workflows.model;

/**
 * One reason a database's backups need attention.
 *
 * @param kind     stable, for metrics labels and scripts: {@link #NO_BACKUP}, {@link #STALE},
 *                 {@link #SIZE_CHANGE}, {@link #UNREADABLE},
 *                 {@link #DRILL_LEFTOVER}, {@link #WAL_LAG}, {@link #WAL_GAP}, {@link #WAL_SLOT}
 * @param message  for people: what is wrong, with the numbers and the limit
 */
public record Alarm(String kind, String message) {
  public static final String NO_BACKUP = "no-backup";
  public static final String STALE = "stale";
  public static final String SIZE_CHANGE = "size-change";
  /** The repository could not be read for this database (unknown database, storage failure). */
  public static final String UNREADABLE = "unreadable";
  /** A finished drill's throwaway target (cluster, database, file) is still there: its teardown failed. */
  public static final String DRILL_LEFTOVER = "drill-leftover";

  /** The WAL archive is further behind the server than wal.maxLag, or has stored nothing yet. */
  public static final String WAL_LAG = "wal-lag";
  /** Segments are missing between the oldest and the newest archived: no recovery can pass them. */
  public static final String WAL_GAP = "wal-gap";
  /** The archive's slot holds more WAL on the server than wal.maxSlotRetained, or is not there. */
  public static final String WAL_SLOT = "wal-slot";

  public static final java.util.List<String> KINDS =
      java.util.List.of(NO_BACKUP, STALE, SIZE_CHANGE, UNREADABLE, DRILL_LEFTOVER, WAL_LAG, WAL_GAP, WAL_SLOT);
}
