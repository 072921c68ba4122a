package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import lifeboat.workflows.model.BackupManifest;

/** Read-only views of a repository, for the CLI's listings. */
@ActivityInterface
public interface CatalogActivities {

  /** Manifests of the database's backups, newest first. Objects without a manifest are not backups. */
  @ActivityMethod(name = "ListBackups")
  List<BackupManifest> listBackups(String database);
}
