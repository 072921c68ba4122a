package lifeboat.workflows.model;

import lifeboat.workflows.runbook.RetentionPolicy;

/**
 * Input of {@code BackupWorkflow}. It names things; it never carries a secret: the worker resolves the
 * database's URL, password and keys from its own configuration.
 *
 * @param database       a database name from the worker's lifeboat.yaml
 * @param schemaVersion  recorded in the manifest instead of the configured schema-version query (nullable)
 * @param retention      when set, a RetentionWorkflow with this policy runs after the backup succeeded; null
 *                       (an ad-hoc `backup run`) prunes nothing
 * @param type           {@link #LOGICAL} (a dump of the database; null means this) or {@link #BASE} (a base
 *                       backup of the whole cluster, for point-in-time recovery)
 */
public record BackupRequest(String database, String schemaVersion, RetentionPolicy retention, String type) {
  public static final String LOGICAL = "logical";
  public static final String BASE = "base";

  /** A logical backup that prunes nothing afterwards. */
  public BackupRequest(String database, String schemaVersion) {
    this(database, schemaVersion, null, null);
  }

  /** A logical backup, as every request recorded before base backups had it. */
  public BackupRequest(String database, String schemaVersion, RetentionPolicy retention) {
    this(database, schemaVersion, retention, null);
  }

  public boolean base() {
    return BASE.equals(type);
  }
}
