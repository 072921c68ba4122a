package lifeboat.activities.drill;

import lifeboat.workflows.drill.DrillReport;

/** When a drill is worth a message, and the message: Slack-compatible text for the alerts webhook. */
final class DrillAlerts {
  private DrillAlerts() {}

  /** A failed drill, or one that took longer than its RTO; a drill without an objective cannot miss it. */
  static boolean worthAlert(DrillReport r) {
    return !r.success() || Boolean.FALSE.equals(r.rtoVerdict());
  }

  static String text(DrillReport r) {
    StringBuilder text = new StringBuilder("Lifeboat: restore drill of ").append(r.database())
        .append(r.success() ? " passed but missed its RTO" : " FAILED").append(" (drill ").append(r.drillId())
        .append(')');
    if (r.failure() != null) {
      text.append("\n• failure: ").append(r.failure());
    }
    text.append("\n• backup: ").append(r.backupId() == null ? "none picked" : r.backupId());
    text.append("\n• time: ").append(DrillMarkdown.rto(r));
    r.smoke().stream().filter(s -> !s.passed()).forEach(s -> text.append("\n• smoke check failed: ")
        .append(s.name()).append(": ").append(s.detail()));
    text.append("\n• report: ").append(DrillReports.markdownKey(r.database(), r.drillId()));
    return text.toString();
  }
}
