package lifeboat.activities.notify;

import lifeboat.activities.check.Webhook;
import lifeboat.activities.config.Config;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.NotifyActivities;
import lifeboat.workflows.model.AlertDelivery;

/** Reminders and escalations of a workflow that waits for a person, to the same webhook as the alarms. */
public class NotifyActivitiesImpl implements NotifyActivities {
  private final Workspace workspace;

  public NotifyActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public AlertDelivery notifyPeople(String text) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      String ref = cfg.alertsWebhook();
      if (ref == null) {
        return new AlertDelivery(false, "no webhook configured");
      }
      Webhook.post(cfg.secrets().resolve(ref, "alerts.webhook"), text);
      return new AlertDelivery(true, "sent");
    });
  }
}
