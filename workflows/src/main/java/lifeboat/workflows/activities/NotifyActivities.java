package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.AlertDelivery;

/** Tells people something through the alerts webhook: a reminder, an escalation, a finished step. */
@ActivityInterface
public interface NotifyActivities {

  /**
   * Posts {@code text} (Slack-compatible JSON) to the configured alerts webhook. Without a webhook it sends
   * nothing and says so; a webhook that refuses fails the activity.
   */
  @ActivityMethod(name = "NotifyPeople")
  AlertDelivery notifyPeople(String text);
}
