package lifeboat.activities.check;

import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.drill.DrillTargetLedger;
import lifeboat.activities.repository.Heartbeats;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.CheckActivities;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupHeartbeat;
import lifeboat.workflows.model.BackupStatus;
import lifeboat.workflows.model.CheckResult;

public class CheckActivitiesImpl implements CheckActivities {
  private final Workspace workspace;
  /** The WAL archive's status, read as `lifeboat wal status` reads it. */
  private final lifeboat.activities.wal.WalActivitiesImpl walStatus;

  public CheckActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
    this.walStatus = new lifeboat.activities.wal.WalActivitiesImpl(workspace);
  }

  @Override
  public List<String> listDatabases() {
    return Activities.guard(() -> List.copyOf(workspace.config().databases().keySet()));
  }

  @Override
  public BackupStatus readBackupStatus(String database) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, cfg.database(database).repository());
      List<BackupHeartbeat> newest =
          Manifests.newestVerified(repo, database, 2).stream().map(BackupHeartbeat::of).toList();
      return new BackupStatus(database, Heartbeats.read(repo, database), newest,
          DrillTargetLedger.leftovers(repo, database),
          cfg.database(database).wal() == null ? null : walStatus.status(cfg, database));
    });
  }

  @Override
  public AlertDelivery sendAlerts(CheckResult result) {
    return Activities.guard(() -> {
      workspace.metrics().alarms(result.databases()); // before the post: a dead webhook leaves them set
      if (result.alarmCount() == 0) {
        return new AlertDelivery(false, "none");
      }
      Config cfg = workspace.config();
      String ref = cfg.alertsWebhook();
      if (ref == null) {
        return new AlertDelivery(false, "no webhook configured");
      }
      Webhook.post(cfg.secrets().resolve(ref, "alerts.webhook"), Webhook.text(result));
      return new AlertDelivery(true, "sent");
    });
  }
}
