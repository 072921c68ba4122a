package lifeboat.workflows.model;

import java.util.List;

/**
 * Output of {@code CheckWorkflow}.
 *
 * @param checkedAt      workflow time of the check (ISO-8601)
 * @param databases      one verdict per database, in the order checked
 * @param notification   what became of the alert: "none" (no alarm), "sent", "no webhook configured", or
 *                       "failed: ..." — a failed delivery never hides the alarms listed here
 */
public record CheckResult(String checkedAt, List<DatabaseCheck> databases, String notification) {

  public long alarmCount() {
    return databases.stream().filter(d -> !d.ok()).count();
  }
}
