package lifeboat.workflows.catalog;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.BackupCatalog;

/**
 * A short workflow that lists a database's backups. The CLI never reads a repository itself: only workers
 * hold repository credentials, so listing goes through one.
 */
@WorkflowInterface
public interface ListBackupsWorkflow {

  @WorkflowMethod
  BackupCatalog list(String database);
}
