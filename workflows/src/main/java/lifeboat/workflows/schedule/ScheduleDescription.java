package lifeboat.workflows.schedule;

import java.util.List;
import lifeboat.workflows.runbook.Runbook;

/**
 * Answer of {@code ScheduleWorkflow.describe()}.
 *
 * @param nextFireTime       ISO-8601 UTC, jitter included; null while paused or when the cron never fires again
 * @param runningWorkflowId  the child still running, or null
 * @param problem            the last update that was refused, and why (null when none)
 */
public record ScheduleDescription(Runbook runbook, boolean paused, String pausedBy, String pauseReason,
    String nextFireTime, String runningWorkflowId, long runCount, List<ScheduleRun> recentRuns, String problem) {

  /** The newest run, or null before the first fire. */
  public ScheduleRun lastRun() {
    return recentRuns.isEmpty() ? null : recentRuns.get(recentRuns.size() - 1);
  }
}
