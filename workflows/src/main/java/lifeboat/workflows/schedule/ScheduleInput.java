package lifeboat.workflows.schedule;

import java.util.List;
import lifeboat.workflows.runbook.Runbook;

/**
 * Input of {@code ScheduleWorkflow}: the runbook, and the state it carries across continue-as-new.
 *
 * @param runbook          what to run and when
 * @param paused           scheduled fires are held back while paused
 * @param pausedBy         who paused it (for `schedule list`)
 * @param pauseReason      why
 * @param recentRuns       the last runs, oldest first (at most {@link ScheduleWorkflow#RECENT_RUNS})
 * @param runCount         fires so far, skipped ones included, over every run of the schedule
 * @param lastFireMillis   the last scheduled fire time handled; the next one is strictly after it
 * @param triggerPending   a manual trigger that arrived as the previous run continued as new
 * @param firesPerRun      continue as new after this many fires (0: the default)
 */
public record ScheduleInput(Runbook runbook, boolean paused, String pausedBy, String pauseReason,
    List<ScheduleRun> recentRuns, long runCount, long lastFireMillis, boolean triggerPending, int firesPerRun) {

  public static ScheduleInput start(Runbook runbook) {
    return new ScheduleInput(runbook, false, null, null, List.of(), 0, 0, false, 0);
  }

  public ScheduleInput withFiresPerRun(int n) {
    return new ScheduleInput(runbook, paused, pausedBy, pauseReason, recentRuns, runCount, lastFireMillis,
        triggerPending, n);
  }
}
