package lifeboat.activities.catalog;

import lifeboat.activities.config.Config;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.CatalogActivities;
import lifeboat.workflows.model.BackupCatalog;

public class CatalogActivitiesImpl implements CatalogActivities {
  private final Workspace workspace;

  public CatalogActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public BackupCatalog listBackups(String database) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return Manifests.catalog(workspace.repository(cfg, cfg.database(database).repository()), database);
    });
  }
}
