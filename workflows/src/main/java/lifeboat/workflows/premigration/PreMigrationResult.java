package lifeboat.workflows.premigration;

import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.migration.MigrationResult;

/**
 * @param outcome         migrated | restored (the migration failed, a person chose restore, the pre-migration
 *                        backup was restored) | left (a person chose abort: the database is as the failed
 *                        migration left it)
 * @param backupId        the verified backup taken before the migration
 * @param migration       the migrator's result when it succeeded
 * @param migrationError  why it failed, when it did
 * @param decision        who chose restore or abort, and why
 * @param leftovers       after a restore: relations the database has that it did not have before the migration
 *                        (made by the failed migration and not in the backup, so pg_restore --clean kept them);
 *                        left in place for a person to judge, never dropped by Lifeboat
 * @param restorePoint    the restore point set just before the migration when the database has a WAL archive
 *                        ("NAME at LSN (time)"; `lifeboat restore --to-name NAME` recovers to it), else null
 */
public record PreMigrationResult(
    String outcome, String database, String backupId, MigrationResult migration, String migrationError,
    ApprovalOutcome decision,
    java.util.List<String> leftovers,
    String restorePoint) {

  /** A result without a restore point: a database without a WAL archive, and every run from before them. */
  public PreMigrationResult(String outcome, String database, String backupId, MigrationResult migration,
      String migrationError, ApprovalOutcome decision, java.util.List<String> leftovers) {
    this(outcome, database, backupId, migration, migrationError, decision, leftovers, null);
  }

  public static final String MIGRATED = "migrated";
  public static final String RESTORED = "restored";
  public static final String LEFT = "left";
}
