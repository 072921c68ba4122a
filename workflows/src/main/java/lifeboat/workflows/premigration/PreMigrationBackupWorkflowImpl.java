package lifeboat.workflows.premigration;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.approval.GatedWorkflow;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.restore.RestoreWorkflow;
import lifeboat.workflows.runbook.Runbook;

/**
 * Steps: backup (a child BackupWorkflow: dump, verify, publish), migrate, and when the migration fails
 * await-decision, then restore-pre-migration-backup (a child RestoreWorkflow into the database itself, clean)
 * or nothing. A failed backup stops everything before the migration runs: no migration without a verified
 * way back.
 */
public class PreMigrationBackupWorkflowImpl extends GatedWorkflow implements PreMigrationBackupWorkflow {
  /**
   * Version 1: the relations are listed before the migration (list-relations) and after a rollback
   * (check-leftovers), so the result names what the failed migration left. Runs from before it (a run waiting
   * for its decision during an upgrade) go on without either step and report no leftovers.
   */
  static final String LIST_RELATIONS = "list-relations";

  /**
   * Version 1: a database with a WAL archive gets a restore point just before the migration
   * (mark-restore-point), so a rollback can also go to that exact moment (`restore --to-name`). Runs from before
   * it go on without the step.
   */
  static final String RESTORE_POINT = "restore-point-before-migration";

  private final MigrationActivities migration = Workflow.newActivityStub(MigrationActivities.class);
  private final lifeboat.workflows.activities.PitrActivities pitr =
      Workflow.newActivityStub(lifeboat.workflows.activities.PitrActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public PreMigrationResult run(PreMigrationRequest request) {
    Runbook runbook = request.runbook();
    String database = runbook.database();
    String id = Workflow.getInfo().getWorkflowId();
    try {
      BackupResult backup = log.run("backup", () -> Workflow.newChildWorkflowStub(BackupWorkflow.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(id + "-backup").build())
          .backup(new BackupRequest(database, null, null)));
      // What the database holds before the migration: a rollback names what the migration added and kept.
      List<String> before = Workflow.getVersion(LIST_RELATIONS, Workflow.DEFAULT_VERSION, 1) >= 1
          ? log.run("list-relations", () -> migration.listRelations(DbTarget.configured(database))) : null;
      String point = Workflow.getVersion(RESTORE_POINT, Workflow.DEFAULT_VERSION, 1) >= 1
          ? log.run("mark-restore-point", () -> pitr.markRestorePoint(database, restorePointName(id))) : null;
      MigrationResult migrated;
      try {
        migrated = log.run("migrate", () -> migration.migrate(DbTarget.configured(database), runbook.migrator()));
      } catch (ActivityFailure e) {
        return afterFailedMigration(runbook, backup, StepLog.describe(e), before, point);
      }
      log.finished();
      return new PreMigrationResult(PreMigrationResult.MIGRATED, database, backup.backupId(), migrated, null, null,
          List.of(), point);
    } catch (ActivityFailure | ChildWorkflowFailure | CanceledFailure e) {
      log.failed(e);
      throw e;
    }
  }

  /** {@code before-<workflow id>}, cut to the 63 characters a restore point's name may have. */
  static String restorePointName(String workflowId) {
    String name = "before-" + workflowId;
    return name.length() <= 63 ? name : name.substring(0, 63);
  }

  private PreMigrationResult afterFailedMigration(Runbook runbook, BackupResult backup, String error,
      List<String> before, String point) { // before: null for a run from before LIST_RELATIONS
    String database = runbook.database();
    ApprovalOutcome decision = log.run("await-decision", () -> gate.await("await-decision",
        "the migration of " + database + " failed: " + error + ". Restore the pre-migration backup "
            + backup.backupId() + " into " + database + " (restore), or leave the database as it is (abort)?",
        List.of(CHOICE_RESTORE, CHOICE_ABORT), CHOICE_ABORT, runbook.approval()));
    if (!CHOICE_RESTORE.equals(decision.choice())) {
      log.finished();
      return new PreMigrationResult(PreMigrationResult.LEFT, database, backup.backupId(), null, error, decision,
          List.of(), point);
    }
    log.run("restore-pre-migration-backup", () -> Workflow.newChildWorkflowStub(RestoreWorkflow.class,
            ChildWorkflowOptions.newBuilder().setWorkflowId(Workflow.getInfo().getWorkflowId() + "-restore").build())
        // target null: the configured database itself; clean, since it holds what the migration left
        .restore(new RestoreRequest(database, backup.backupId(), null, null, 1, true)));
    List<String> leftovers = before == null ? List.of() : leftovers(database, before);
    log.finished();
    return new PreMigrationResult(PreMigrationResult.RESTORED, database, backup.backupId(), null, error, decision,
        leftovers, point);
  }

  /** What the database holds after the rollback that it did not hold before the migration. */
  private List<String> leftovers(String database, List<String> before) {
    List<String> after = log.run("check-leftovers", () -> migration.listRelations(DbTarget.configured(database)));
    return after.stream().filter(r -> !before.contains(r)).toList();
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
