package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.BackupCatalog;

/** Read-only views of a repository, for the CLI's listings. */
@ActivityInterface
public interface CatalogActivities {

  /**
   * Manifests of the database's backups, newest first, and the backups whose manifest is unreadable, each with
   * its problem. Objects without a manifest are not backups.
   */
  @ActivityMethod(name = "ListBackups")
  BackupCatalog listBackups(String database);
}
