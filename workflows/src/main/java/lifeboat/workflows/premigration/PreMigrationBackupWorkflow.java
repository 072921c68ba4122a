package lifeboat.workflows.premigration;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.approval.Approvable;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * backup (verified) → migrate; when the migration fails: wait for a person to choose {@code restore} (the
 * pre-migration backup goes back into the database) or {@code abort} (leave it as it is).
 */
@WorkflowInterface
public interface PreMigrationBackupWorkflow extends Approvable {
  String CHOICE_RESTORE = "restore";
  String CHOICE_ABORT = "abort";

  @WorkflowMethod
  PreMigrationResult run(PreMigrationRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
