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
 */
public record PreMigrationResult(
    String outcome, String database, String backupId, MigrationResult migration, String migrationError,
    ApprovalOutcome decision) {

  public static final String MIGRATED = "migrated";
  public static final String RESTORED = "restored";
  public static final String LEFT = "left";
}
