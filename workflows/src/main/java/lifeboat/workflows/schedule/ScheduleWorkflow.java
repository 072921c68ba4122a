package lifeboat.workflows.schedule;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.runbook.Runbook;

/**
 * One long-running workflow per scheduled runbook (id {@code schedule-<runbook>}): sleeps until the next cron
 * fire time, starts the runbook's workflow as a child, and continues as new regularly. Lifeboat's own
 * schedules, because the embedded server has no Schedules API; they run the same on every server.
 *
 * <p>Controls are signals, so they are recorded even while no worker runs: they take effect when one does.
 */
@WorkflowInterface
public interface ScheduleWorkflow {
  /** How many runs describe() keeps, and continue-as-new carries. */
  int RECENT_RUNS = 20;

  @WorkflowMethod
  void run(ScheduleInput input);

  /** Holds back scheduled fires until resumed. A running child keeps running. */
  @SignalMethod
  void pause(String by, String reason);

  /** Fires again from the next cron time after now: missed fire times are not made up. */
  @SignalMethod
  void resume();

  /** Runs the runbook now, paused or not (still skipped when the previous run is going). */
  @SignalMethod
  void trigger();

  /** Applies a changed runbook (cron, zone, jitter, database) without restarting the schedule. */
  @SignalMethod
  void update(Runbook runbook);

  @QueryMethod
  ScheduleDescription describe();
}
