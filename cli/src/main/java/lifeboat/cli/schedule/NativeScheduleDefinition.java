package lifeboat.cli.schedule;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.List;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.RunbookKinds;

/**
 * A runbook as a native Temporal Schedule. Pure: builds the definition, talks to no server.
 *
 * <p>Overlap SKIP plus a long catch-up window gives the fallback's "one catch-up run after an outage, never a
 * burst": when the server comes back it considers every fire time missed within the window, starts the first,
 * and skips the others because that run is still going. When only workers were down the server started the
 * run on time; it waits in the task queue, and the fire times after it are skipped the same way.
 */
final class NativeScheduleDefinition {
  /** A year and a day: long enough that even a yearly cron's missed run is caught up, once. */
  static final Duration CATCHUP_WINDOW = Duration.ofDays(366);
  /** Memo key marking a schedule as Lifeboat's (value: the runbook name): only those are ever deleted. */
  static final String MEMO_RUNBOOK = "LifeboatRunbook";
  static final SearchAttributeKey<String> DATABASE = lifeboat.workflows.SearchAttributes.DATABASE_KEY;
  static final SearchAttributeKey<String> KIND = lifeboat.workflows.SearchAttributes.KIND_KEY;

  private NativeScheduleDefinition() {}

  /** The schedule for {@code runbook}, in {@code state} (a new schedule's, or the one an update keeps). */
  static Schedule of(Runbook runbook, ScheduleState state) {
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder()
        .setCronExpressions(List.of(runbook.schedule().cron()))
        .setCalendars(DstGaps.calendars(runbook, java.time.Instant.now()))
        .setTimeZoneName(runbook.schedule().timeZone() == null ? "UTC" : runbook.schedule().timeZone());
    if (runbook.schedule().jitter() != null) {
      spec.setJitter(Durations.parse(runbook.schedule().jitter()));
    }
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(RunbookKinds.workflowType(runbook))
            .setArguments(RunbookKinds.request(runbook))
            .setOptions(WorkflowOptions.newBuilder()
                // The server appends each run's scheduled time: notes-nightly-2026-12-02T03:00:00Z.
                .setWorkflowId(runbook.name())
                .setTaskQueue(TaskQueues.LIFEBOAT)
                .setTypedSearchAttributes(searchAttributes(runbook))
                .build())
            .build())
        .setSpec(spec.build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(CATCHUP_WINDOW)
            .build())
        .setState(state)
        .build();
  }

  /** A new schedule's state: running, with a note saying where it came from. */
  static ScheduleState initialState() {
    return ScheduleState.newBuilder().setPaused(false).setNote("made by lifeboat schedule apply").build();
  }

  /** LifeboatKind, LifeboatDatabase and an empty LifeboatWaitingFor, on the schedule and each run it starts. */
  static SearchAttributes searchAttributes(Runbook runbook) {
    return lifeboat.workflows.SearchAttributes.atStart(runbook.kind(), runbook.database());
  }
}
