package lifeboat.cli.approval;

import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowException;
import java.util.ArrayList;
import java.util.List;
import lifeboat.cli.Temporal;
import lifeboat.worker.history.HistoryKeyErrors;
import lifeboat.workflows.approval.ApprovableTypes;
import lifeboat.workflows.approval.PendingApproval;

/** The open workflows that wait for a person, asked one type at a time (the embedded server lists no queries). */
public final class PendingApprovals {
  public record Waiting(String workflowId, String type, PendingApproval pending) {}

  private PendingApprovals() {}

  public static List<Waiting> list(Temporal t, String namespace) {
    List<Waiting> waiting = new ArrayList<>();
    for (String type : ApprovableTypes.NAMES.stream().sorted().toList()) {
      var response = t.service().blockingStub().listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest
          .newBuilder().setNamespace(namespace).setMaximumPageSize(1000)
          .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(type)).build());
      for (WorkflowExecutionInfo info : response.getExecutionsList()) {
        String id = info.getExecution().getWorkflowId();
        PendingApproval p = of(t, id);
        if (p != null) {
          waiting.add(new Waiting(id, type, p));
        }
      }
    }
    return waiting;
  }

  /** What the workflow waits for, or null (nothing, or it cannot answer now). */
  public static PendingApproval of(Temporal t, String workflowId) {
    try {
      return t.client().newUntypedWorkflowStub(workflowId).query("pendingApproval", PendingApproval.class);
    } catch (WorkflowException | io.grpc.StatusRuntimeException e) {
      if (HistoryKeyErrors.userMessage(e).isPresent()) {
        throw e; // an answer this client cannot decrypt is not "nothing pending": say so
      }
      return null;
    }
  }
}
