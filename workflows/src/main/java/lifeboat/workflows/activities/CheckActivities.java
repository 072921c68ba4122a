package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupStatus;
import lifeboat.workflows.model.CheckResult;

/** The steps of a check: read-only, except for the alert it sends. */
@ActivityInterface
public interface CheckActivities {

  /** The names under {@code databases:} in the worker's lifeboat.yaml. */
  @ActivityMethod(name = "ListDatabases")
  List<String> listDatabases();

  /** The database's heartbeat and its two newest verified manifests. */
  @ActivityMethod(name = "ReadBackupStatus")
  BackupStatus readBackupStatus(String database);

  /**
   * Sets the alarm gauges of this worker's metrics, and when any database is in alarm, posts the alarms to
   * the configured webhook (Slack-compatible JSON). Throws when the webhook does not accept them.
   */
  @ActivityMethod(name = "SendAlerts")
  AlertDelivery sendAlerts(CheckResult result);
}
