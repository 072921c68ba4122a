package lifeboat.cli;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * `--wait`: the workflow's result, and meanwhile a line whenever one of its steps starts retrying or fails
 * with another error than last time (not one a second: a stopped database fails the same way for minutes).
 */
public final class WaitForResult {
  private static final long POLL_SECONDS = 2;

  private WaitForResult() {}

  public static <R> R get(Temporal t, String namespace, String workflowId, Class<R> type, PrintWriter out) {
    WorkflowStub stub = t.client().newUntypedWorkflowStub(workflowId);
    Map<String, String> shown = new HashMap<>(); // step -> its error last printed
    while (true) {
      try {
        return stub.getResult(POLL_SECONDS, TimeUnit.SECONDS, type);
      } catch (WorkflowServiceException e) {
        if (!ServerBusy.is(e)) {
          throw e;
        }
        ServerBusy.pause();
      } catch (TimeoutException stillRunning) {
        DescribeWorkflowExecutionResponse described;
        try {
          described = t.service().blockingStub().describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
        } catch (io.grpc.StatusRuntimeException e) {
          if (!ServerBusy.is(e)) {
            throw e;
          }
          continue; // busy: the retries are told at the next poll
        }
        for (Retries.Retry retry : Retries.of(described, t.client().getOptions().getDataConverter())) {
          if (!retry.error().equals(shown.put(retry.step(), retry.error()))) {
            out.println(retry.line(Instant.now()));
            out.flush();
          }
        }
      }
    }
  }
}
