package lifeboat.cli.schedule;

import com.google.protobuf.ByteString;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import lifeboat.cli.Temporal;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.ScheduleInput;
import lifeboat.workflows.schedule.ScheduleWorkflow;

/** Schedule workflows as the CLI sees them: one {@code schedule-<runbook>} per scheduled runbook. */
public final class Schedules {
  public static final String TYPE = "ScheduleWorkflow";
  private static final String PREFIX = "schedule-";

  private Schedules() {}

  public static String workflowId(String runbook) {
    return PREFIX + runbook;
  }

  /** A schedule's workflow id from a runbook name, or from the id itself. */
  public static String idOf(String nameOrId) {
    return nameOrId.startsWith(PREFIX) ? nameOrId : workflowId(nameOrId);
  }

  /** A signal and query stub for a schedule by runbook name (or by its workflow id). */
  public static ScheduleWorkflow stub(Temporal t, String name) {
    return t.client().newWorkflowStub(ScheduleWorkflow.class, idOf(name));
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
  public static void apply(Temporal t, List<Runbook> runbooks, PrintWriter out) {
    WorkflowClient client = t.client();
    Set<String> open = openIds(t);
    List<Runbook> scheduled = runbooks.stream().filter(r -> r.schedule() != null).toList();
    for (Runbook runbook : scheduled) {
      String id = workflowId(runbook.name());
      WorkflowStub stub = client.newUntypedWorkflowStub(TYPE, WorkflowOptions.newBuilder()
          .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build());
      stub.signalWithStart("update", new Object[] {runbook}, new Object[] {ScheduleInput.start(runbook)});
      out.println((open.contains(id) ? "updated " : "started ") + id + ": " + runbook.kind() + " of "
          + runbook.database() + ", " + describe(runbook));
    }
    Set<String> wanted = scheduled.stream().map(r -> workflowId(r.name())).collect(Collectors.toSet());
    for (String id : open) {
      if (!wanted.contains(id)) {
        client.newUntypedWorkflowStub(id).terminate("its runbook is gone or no longer scheduled");
        out.println("stopped " + id + ": its runbook is gone or no longer scheduled");
      }
    }
    out.println(scheduled.size() + " schedule(s) applied");
    out.flush();
  }

  /** A runbook's schedule in words, for command output. */
  public static String describe(Runbook r) {
    return "cron \"" + r.schedule().cron() + "\" "
        + (r.schedule().timeZone() == null ? "UTC" : r.schedule().timeZone())
        + (r.schedule().jitter() == null ? "" : " + up to " + r.schedule().jitter() + " jitter");
  }
}
