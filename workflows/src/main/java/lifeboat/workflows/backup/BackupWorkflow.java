package lifeboat.workflows.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.WorkflowProgress;

/** Backs up one database: prepare → dump-to-repository → verify → publish-manifest [→ retention]. */
@WorkflowInterface
public interface BackupWorkflow {

  @WorkflowMethod
  BackupResult backup(BackupRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
