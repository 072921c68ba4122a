package lifeboat.activities.repository;

/**
 * Where a backup's files live in a repository, one folder per backup:
 * {@code backups/<database>/<backupId>/data.zst.pgp}, for PostgreSQL {@code .../globals.sql.zst.pgp} (roles and
 * tablespaces), and {@code .../manifest.json}. Unencrypted backups drop the {@code .pgp}.
 */
public final class BackupLayout {
  public static final String MANIFEST = "manifest.json";

  private BackupLayout() {}

  public static String databasePrefix(String database) {
    return "backups/" + database + "/";
  }

  public static String backupPrefix(String database, String backupId) {
    return databasePrefix(database) + backupId + "/";
  }

  public static String objectKey(String database, String backupId, boolean encrypted) {
    return backupPrefix(database, backupId) + (encrypted ? "data.zst.pgp" : "data.zst");
  }

  /** A base backup's object: pg_basebackup's tar of the whole cluster. */
  public static String baseKey(String database, String backupId, boolean encrypted) {
    return backupPrefix(database, backupId) + (encrypted ? "base.tar.zst.pgp" : "base.tar.zst");
  }

  /** The pg_dumpall --globals-only object beside a PostgreSQL backup's data. */
  public static String globalsKey(String database, String backupId, boolean encrypted) {
    return backupPrefix(database, backupId) + (encrypted ? "globals.sql.zst.pgp" : "globals.sql.zst");
  }

  public static String manifestKey(String database, String backupId) {
    return backupPrefix(database, backupId) + MANIFEST;
  }

  /** The backup id of a key under {@link #databasePrefix}, or null. */
  public static String backupIdOf(String database, String key) {
    String prefix = databasePrefix(database);
    if (!key.startsWith(prefix)) {
      return null;
    }
    String rest = key.substring(prefix.length());
    int slash = rest.indexOf('/');
    return slash <= 0 ? null : rest.substring(0, slash);
  }
}
