package lifeboat.activities.catalog;

import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.CatalogActivities;
import lifeboat.workflows.model.BackupManifest;

public class CatalogActivitiesImpl implements CatalogActivities {
  private final Workspace workspace;

  public CatalogActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public List<BackupManifest> listBackups(String database) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return Manifests.list(workspace.repository(cfg, cfg.database(database).repository()), database);
    });
  }
}
