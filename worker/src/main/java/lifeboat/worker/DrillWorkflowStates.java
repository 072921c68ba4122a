package lifeboat.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Locale;
import lifeboat.activities.drill.OrphanedDrillTargets;

/** Asks the server a worker polls whether a drill workflow still runs (its newest run, by workflow id). */
final class DrillWorkflowStates implements OrphanedDrillTargets.WorkflowStates {
  private final WorkflowServiceStubs service;
  private final String namespace;

  DrillWorkflowStates(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.namespace = namespace;
  }

  @Override
  public String goneBecause(String workflowId) {
    try {
      WorkflowExecutionStatus status = service.blockingStub().describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
          .getWorkflowExecutionInfo().getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING ? null
          : status.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).toLowerCase(Locale.ROOT);
    } catch (StatusRuntimeException e) {
      // Only "no such workflow" means gone (an in-memory server restarted, or the history expired); any other
      // answer (unreachable, refused) is no answer, and nothing is removed on it.
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return "not known to Temporal";
      }
      throw e;
    }
  }
}
