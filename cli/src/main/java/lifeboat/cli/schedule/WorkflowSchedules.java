package lifeboat.cli.schedule;

import com.google.protobuf.ByteString;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import lifeboat.cli.Temporal;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.ScheduleDescription;
import lifeboat.workflows.schedule.ScheduleInput;
import lifeboat.workflows.schedule.ScheduleRun;
import lifeboat.workflows.schedule.ScheduleWorkflow;

/**
 * The fallback for the in-memory server, which has no Schedules API: one long-running {@code ScheduleWorkflow}
 * per scheduled runbook, id {@code schedule-<runbook>}, controlled by signals and read by a query.
 */
public final class WorkflowSchedules implements ScheduleBackend {
  public static final String TYPE = "ScheduleWorkflow";
  private final Temporal t;

  WorkflowSchedules(Temporal t) {
    this.t = t;
  }

  /** A signal and query stub for a schedule by runbook name (or by its workflow id). */
  public static ScheduleWorkflow stub(Temporal t, String name) {
    return t.client().newWorkflowStub(ScheduleWorkflow.class, ScheduleIds.idOf(name));
  }

  /** Ids of the running schedule workflows (ListOpenWorkflowExecutions by type: works on every server). */
  public static Set<String> openIds(Temporal t) {
    Set<String> ids = new TreeSet<>();
    String namespace = t.client().getOptions().getNamespace();
    ByteString page = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse response = t.service().blockingStub().listOpenWorkflowExecutions(
          ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace)
              .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(TYPE))
              .setMaximumPageSize(1000)
              .setNextPageToken(page)
              .build());
      for (WorkflowExecutionInfo info : response.getExecutionsList()) {
        ids.add(info.getExecution().getWorkflowId());
      }
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    return ids;
  }

  /**
   * Starts a schedule workflow for every runbook with a schedule, or hands a running one the runbook as it is
   * now (signal-with-start: one call either way), and stops the schedules whose runbook is gone. Running
   * children are abandoned, not killed.
   */
  @Override
  public void apply(List<Runbook> runbooks, PrintWriter out) {
    WorkflowClient client = t.client();
    Set<String> open = openIds(t);
    List<Runbook> scheduled = runbooks.stream().filter(r -> r.schedule() != null).toList();
    for (Runbook runbook : scheduled) {
      String id = ScheduleIds.of(runbook.name());
      WorkflowStub stub = client.newUntypedWorkflowStub(TYPE, WorkflowOptions.newBuilder()
          .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build());
      stub.signalWithStart("update", new Object[] {runbook}, new Object[] {ScheduleInput.start(runbook)});
      out.println((open.contains(id) ? "updated " : "started ") + id + ": " + runbook.kind() + " of "
          + runbook.database() + ", " + Schedules.describe(runbook));
    }
    Set<String> wanted = scheduled.stream().map(r -> ScheduleIds.of(r.name())).collect(Collectors.toSet());
    for (String id : open) {
      if (!wanted.contains(id)) {
        client.newUntypedWorkflowStub(id).terminate("its runbook is gone or no longer scheduled");
        out.println("stopped " + id + ": its runbook is gone or no longer scheduled");
      }
    }
  }

  @Override
  public List<ScheduleRow> list() {
    List<ScheduleRow> rows = new ArrayList<>();
    for (String id : openIds(t)) {
      ScheduleDescription d = stub(t, id).describe();
      rows.add(new ScheduleRow(id, d.runbook().kind(), d.runbook().database(), d.nextFireTime(), d.paused(),
          d.paused() ? "paused by " + d.pausedBy() + (d.pauseReason() == null ? "" : ": " + d.pauseReason()) : null,
          lastRun(d.lastRun()), d.problem()));
    }
    return rows;
  }

  private static String lastRun(ScheduleRun r) {
    return r == null ? null
        : r.outcome() + " " + r.fireTime() + " " + r.workflowId() + (r.detail() == null ? "" : " (" + r.detail() + ")");
  }

  @Override
  public void pause(String id, String by, String reason) {
    signal(id, s -> s.pause(by, reason));
  }

  @Override
  public void resume(String id) {
    signal(id, ScheduleWorkflow::resume);
  }

  @Override
  public void trigger(String id) {
    signal(id, ScheduleWorkflow::trigger);
  }

  private void signal(String id, Consumer<ScheduleWorkflow> send) {
    try {
      send.accept(stub(t, id));
    } catch (WorkflowNotFoundException e) {
      throw new ScheduleNotFoundException(id);
    }
  }
}
