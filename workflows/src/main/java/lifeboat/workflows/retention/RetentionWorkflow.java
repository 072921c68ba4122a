package lifeboat.workflows.retention;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.model.WorkflowProgress;

/** Prunes a database's backups by a GFS policy: list-backups → plan → record-kept → delete-backup per deletion. */
@WorkflowInterface
public interface RetentionWorkflow {

  @WorkflowMethod
  RetentionResult run(RetentionRequest request);

  @QueryMethod
  WorkflowProgress progress();

  /** One retention run per database at a time: the CLI and BackupWorkflow both start it under this id. */
  static String workflowId(String database) {
    return "retention-" + database;
  }
}
