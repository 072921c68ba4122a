package lifeboat.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;

/**
 * What the Temporal server behind a connection can do. Lifeboat runs on two kinds: a real server (the CLI's dev
 * server, a cluster, Temporal Cloud), which has the Schedules API and visibility queries and re-queues a dead
 * worker's sticky tasks; and temporal-testing's in-memory server, which has none of these. A ListSchedules call
 * tells them apart: only the in-memory server answers UNIMPLEMENTED.
 *
 * @param realServer  true for a real server: Schedules, visibility queries, sticky execution are safe to use
 */
public record ServerFeatures(boolean realServer) {

  /** Asks the server once. Any answer but UNIMPLEMENTED (even PERMISSION_DENIED) means a real server. */
  public static ServerFeatures probe(WorkflowServiceStubs service, String namespace) {
    try {
      service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
          .listSchedules(ListSchedulesRequest.newBuilder().setNamespace(namespace).setMaximumPageSize(1).build());
      return new ServerFeatures(true);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED) {
        return new ServerFeatures(false);
      }
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        throw e; // cannot reach it: the caller's connection error, not a verdict
      }
      return new ServerFeatures(true);
    }
  }

  /** Says in words which server this is, for the start-up lines of `dev` and `worker`. */
  public String describe() {
    return realServer ? "a real Temporal server (Schedules, visibility, sticky execution)"
        : "the in-memory server (no Schedules or visibility queries; nothing survives its restart)";
  }
}
