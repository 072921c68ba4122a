package lifeboat.workflows.catalog;

import io.temporal.workflow.Workflow;
import lifeboat.workflows.activities.CatalogActivities;
import lifeboat.workflows.model.BackupCatalog;

public class ListBackupsWorkflowImpl implements ListBackupsWorkflow {
  private final CatalogActivities catalog = Workflow.newActivityStub(CatalogActivities.class);

  @Override
  public BackupCatalog list(String database) {
    return catalog.listBackups(database);
  }
}
