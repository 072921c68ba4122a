package lifeboat.cli.backup;

import java.util.UUID;
import lifeboat.cli.Temporal;
import lifeboat.workflows.catalog.ListBackupsWorkflow;
import lifeboat.workflows.model.BackupCatalog;

/** A database's backups, read by a worker (only workers hold repository credentials). */
public final class BackupCatalogs {
  private BackupCatalogs() {}

  public static BackupCatalog of(Temporal t, String database) {
    return t.client().newWorkflowStub(ListBackupsWorkflow.class,
        Temporal.start("list-" + database + "-" + UUID.randomUUID())).list(database);
  }
}
