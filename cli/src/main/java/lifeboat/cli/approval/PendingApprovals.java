package lifeboat.cli.approval;

import com.google.protobuf.ByteString;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lifeboat.cli.Temporal;
import lifeboat.worker.history.HistoryKeyErrors;
import lifeboat.workflows.approval.ApprovableTypes;
import lifeboat.workflows.approval.PendingApproval;

/**
 * The open workflows that wait for a person. One listing of every open workflow, filtered here by the type the
 * server reports: the in-memory server ignores a request's type filter, so asking once per approvable type listed
 * each waiting workflow once per type, under the type asked for rather than its own.
 */
public final class PendingApprovals {
  public record Waiting(String workflowId, String type, PendingApproval pending) {}

  private PendingApprovals() {}

  public static List<Waiting> list(Temporal t, String namespace) {
    List<Waiting> waiting = new ArrayList<>();
    ByteString page = ByteString.EMPTY;
    do {
      var response = t.service().blockingStub().listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest
          .newBuilder().setNamespace(namespace).setMaximumPageSize(1000).setNextPageToken(page).build());
      for (WorkflowExecutionInfo info : response.getExecutionsList()) {
        String type = info.getType().getName();
        if (!ApprovableTypes.NAMES.contains(type)) {
          continue; // only these answer the query, and asking a type without a worker would wait for one
        }
        String id = info.getExecution().getWorkflowId();
        PendingApproval p = of(t, id);
        if (p != null) {
          waiting.add(new Waiting(id, type, p));
        }
      }
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    waiting.sort(Comparator.comparing(Waiting::type).thenComparing(Waiting::workflowId));
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
