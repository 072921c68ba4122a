package lifeboat.cli.schedule;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import lifeboat.cli.Temporal;
import lifeboat.workflows.runbook.Runbook;

/**
 * Native Temporal Schedules, on a real server: one per scheduled runbook, id {@code schedule-<runbook>}, marked
 * as Lifeboat's by the {@code LifeboatRunbook} memo. They show in the Web UI and in `temporal schedule list`;
 * the server fires them whether or not a worker runs. Definitions: {@link NativeScheduleDefinition}.
 */
final class NativeSchedules implements ScheduleBackend {
  private final Temporal t;
  private final ScheduleClient schedules;

  NativeSchedules(Temporal t) {
    this.t = t;
    // The client's converter: with a history key, the schedule's action (the run's input) is stored encrypted too.
    this.schedules = ScheduleClient.newInstance(t.service(),
        ScheduleClientOptions.newBuilder().setNamespace(t.client().getOptions().getNamespace())
            .setDataConverter(t.client().getOptions().getDataConverter()).build());
  }

  /**
   * Creates the schedules that are missing, updates the others (keeping their pause and note), deletes
   * Lifeboat's schedules whose runbook is gone, and stops ScheduleWorkflows an older Lifeboat left on this server
   * (they would fire a second time beside the native schedule).
   */
  @Override
  public void apply(List<Runbook> runbooks, PrintWriter out) {
    Map<String, Runbook> wanted = new LinkedHashMap<>();
    runbooks.stream().filter(r -> r.schedule() != null).forEach(r -> wanted.put(ScheduleIds.of(r.name()), r));
    // Checked before anything is sent: a runbook the definition refuses, or an id taken by a schedule that is
    // not Lifeboat's, changes nothing.
    wanted.values().forEach(r -> NativeScheduleDefinition.of(r, NativeScheduleDefinition.initialState()));
    wanted.keySet().forEach(this::refuseIfForeign);
    for (Map.Entry<String, Runbook> e : wanted.entrySet()) {
      out.println((createOrUpdate(e.getKey(), e.getValue()) ? "created " : "updated ") + e.getKey()
          + ": " + e.getValue().kind() + " of " + e.getValue().database() + ", " + Schedules.describe(e.getValue()));
      DstGaps.note(e.getKey(), e.getValue(), Instant.now()).ifPresent(out::println);
    }
    for (String id : lifeboatIds()) {
      if (!wanted.containsKey(id)) {
        schedules.getHandle(id).delete();
        out.println("deleted " + id + ": its runbook is gone or has no schedule");
      }
    }
    for (String id : WorkflowSchedules.openIds(t)) {
      t.client().newUntypedWorkflowStub(id).terminate("replaced by a native Temporal Schedule");
      out.println("stopped workflow " + id + " (a ScheduleWorkflow): replaced by the native Temporal Schedule");
    }
  }

  /** A schedule {@code id} that exists without Lifeboat's memo is someone else's: never overwritten. */
  private void refuseIfForeign(String id) {
    ScheduleDescription existing;
    try {
      existing = schedules.getHandle(id).describe();
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return;
      }
      throw e;
    }
    if (existing.getMemo(NativeScheduleDefinition.MEMO_RUNBOOK, String.class) == null) {
      throw new IllegalArgumentException("SCHEDULE_NOT_LIFEBOATS: a schedule " + id + " exists that Lifeboat did not"
          + " make; nothing was applied. HINT: rename the runbook, or delete that schedule"
          + " (`temporal schedule delete --schedule-id " + id + "`) if it is an old copy");
    }
  }

  /** True when created, false when it existed and was updated; a refusal as one line with a HINT. */
  private boolean createOrUpdate(String id, Runbook runbook) {
    try {
      return sendCreateOrUpdate(id, runbook);
    } catch (RuntimeException e) {
      throw NativeScheduleErrors.refused(id, e);
    }
  }

  private boolean sendCreateOrUpdate(String id, Runbook runbook) {
    try {
      schedules.createSchedule(id, NativeScheduleDefinition.of(runbook, NativeScheduleDefinition.initialState()),
          ScheduleOptions.newBuilder()
              .setMemo(Map.of(NativeScheduleDefinition.MEMO_RUNBOOK, runbook.name()))
              .setTypedSearchAttributes(NativeScheduleDefinition.searchAttributes(runbook))
              .build());
      return true;
    } catch (ScheduleAlreadyRunningException e) {
      schedules.getHandle(id).update(input -> {
        Schedule current = input.getDescription().getSchedule();
        return new ScheduleUpdate(NativeScheduleDefinition.of(runbook, current.getState()),
            NativeScheduleDefinition.searchAttributes(runbook));
      });
      return false;
    }
  }

  /** Ids of the schedules Lifeboat made: the id prefix and the memo both, so nobody else's is touched. */
  private Set<String> lifeboatIds() {
    return schedules.listSchedules().filter(NativeSchedules::isLifeboats)
        .map(ScheduleListDescription::getScheduleId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean isLifeboats(ScheduleListDescription d) {
    return d.getScheduleId().startsWith(ScheduleIds.PREFIX)
        && d.getMemo(NativeScheduleDefinition.MEMO_RUNBOOK, String.class) != null;
  }

  @Override
  public List<ScheduleRow> list() {
    List<ScheduleRow> rows = new ArrayList<>();
    for (String id : lifeboatIds()) {
      ScheduleDescription d;
      try {
        d = schedules.getHandle(id).describe();
      } catch (RuntimeException e) {
        if (isNotFound(e)) {
          continue; // deleted between the listing and now
        }
        throw e;
      }
      boolean paused = d.getSchedule().getState().isPaused();
      List<Instant> next = d.getInfo().getNextActionTimes();
      List<ScheduleActionResult> recent = d.getInfo().getRecentActions();
      rows.add(new ScheduleRow(id, d.getTypedSearchAttributes().get(NativeScheduleDefinition.KIND),
          d.getTypedSearchAttributes().get(NativeScheduleDefinition.DATABASE),
          paused || next.isEmpty() ? null : next.get(0).toString(), paused,
          paused ? d.getSchedule().getState().getNote() : null,
          recent.isEmpty() ? null : lastRun(recent.get(recent.size() - 1)), null));
    }
    return rows;
  }

  /** "ok 2026-12-02T03:00:00Z notes-nightly-2026-12-02T03:00:00Z", the outcome from the run itself. */
  private String lastRun(ScheduleActionResult result) {
    if (!(result.getAction() instanceof ScheduleActionExecutionStartWorkflow started)) {
      return null;
    }
    WorkflowExecutionStatus status;
    try {
      status = t.service().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(t.client().getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(started.getWorkflowId())
                  .setRunId(started.getFirstExecutionRunId()))
              .build()).getWorkflowExecutionInfo().getStatus();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      // Past the namespace's retention: the schedule remembers the run, the server no longer has it.
      return "unknown " + result.getScheduledAt() + " " + started.getWorkflowId() + " (no longer in history)";
    }
    String outcome = switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING -> "running";
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "ok";
      default -> "failed";
    };
    String detail = outcome.equals("failed")
        ? " (" + status.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).toLowerCase() + ")" : "";
    return outcome + " " + result.getScheduledAt() + " " + started.getWorkflowId() + detail;
  }

  /** Pause with a note that says who and why, as the Web UI and `temporal schedule describe` show it. */
  @Override
  public void pause(String id, String by, String reason) {
    control(id, h -> h.pause("paused by " + by + (reason == null ? "" : ": " + reason)));
  }

  @Override
  public void resume(String id) {
    control(id, h -> h.unpause("resumed by lifeboat schedule resume"));
  }

  /** A run now, even while paused; skipped when the previous run still goes (the schedule's own policy). */
  @Override
  public void trigger(String id) {
    control(id, h -> h.trigger(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP));
  }

  private void control(String id, Consumer<ScheduleHandle> action) {
    try {
      action.accept(schedules.getHandle(id));
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        throw new ScheduleNotFoundException(id);
      }
      throw e;
    }
  }

  private static boolean isNotFound(Throwable e) {
    return NativeScheduleErrors.status(e, Status.Code.NOT_FOUND) != null;
  }
}
