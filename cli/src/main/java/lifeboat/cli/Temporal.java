package lifeboat.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import lifeboat.workflows.TaskQueues;

/** An open connection to Temporal for one command: close it when the command ends. */
public final class Temporal implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  public Temporal(TemporalOptions options) {
    this(options.connect(), options.namespace());
  }

  public Temporal(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.client = WorkflowClient.newInstance(service,
        io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /** A plain-text connection to a local server, such as the embedded one. */
  public static Temporal local(String address) {
    return local(address, null);
  }

  /** As {@link #local(String)}, the SDK reporting its metrics to {@code metricsScope} (nullable). */
  public static Temporal local(String address, com.uber.m3.tally.Scope metricsScope) {
    var options = io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    return new Temporal(WorkflowServiceStubs.newServiceStubs(options.build()), "default");
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  /** Options to start a Lifeboat workflow: its id, and the Lifeboat task queue. */
  public static WorkflowOptions start(String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.LIFEBOAT)
        .setWorkflowId(workflowId)
        .setWorkflowRunTimeout(Duration.ofDays(2))
        .build();
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
