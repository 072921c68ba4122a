package lifeboat.workflows.catalog;

import io.temporal.workflow.Workflow;
import java.util.List;
import lifeboat.workflows.activities.CatalogActivities;
import lifeboat.workflows.model.BackupManifest;

public class ListBackupsWorkflowImpl implements ListBackupsWorkflow {
  private final CatalogActivities catalog = Workflow.newActivityStub(CatalogActivities.class);

  @Override
  public List<BackupManifest> list(String database) {
    return catalog.listBackups(database);
  }
}
