package lifeboat.workflows.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The incident timeline a failover keeps as it goes, and its Markdown: what an on-call engineer pastes into
 * the incident channel and the postmortem. Pure (workflow time is passed in), so workflow code can build it.
 */
public final class Timeline {
  private final List<TimelineEntry> entries = new ArrayList<>();

  public void add(TimelineEntry entry) {
    entries.add(entry);
  }

  public List<TimelineEntry> entries() {
    return List.copyOf(entries);
  }

  /**
   * @param title            e.g. "Failover of app (runbook app-failover)"
   * @param startedAtMillis  when the workflow began
   * @param recoveredAtMillis when writes worked again through the application's path, or 0 when they never did
   */
  public static String markdown(String title, String workflowId, long startedAtMillis, long recoveredAtMillis,
      String outcome, List<TimelineEntry> entries) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append("- workflow: `").append(workflowId).append("`\n");
    md.append("- started: ").append(Instant.ofEpochMilli(startedAtMillis)).append('\n');
    md.append("- outcome: **").append(outcome).append("**\n");
    if (recoveredAtMillis > 0) {
      md.append("- time to recovery: ").append(human(recoveredAtMillis - startedAtMillis))
          .append(" (start to the first write through the application's path)\n");
    }
    md.append("\n| time (UTC) | step | took | outcome | detail |\n|---|---|---|---|---|\n");
    for (TimelineEntry e : entries) {
      md.append("| ").append(Instant.ofEpochMilli(e.startedAtMillis())).append(" | ").append(e.step()).append(" | ")
          .append(e.endedAtMillis() <= 0 ? "" : human(e.durationMillis())).append(" | ").append(e.outcome())
          .append(" | ").append(e.detail() == null ? "" : e.detail().replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    return md.toString();
  }

  /** "1.2 s", "3 min 04 s", "1 h 02 min". */
  static String human(long millis) {
    Duration d = Duration.ofMillis(millis);
    if (d.toMinutes() == 0) {
      return String.format("%.1f s", millis / 1000.0);
    }
    if (d.toHours() == 0) {
      return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
    return String.format("%d h %02d min", d.toHours(), d.toMinutesPart());
  }
}
