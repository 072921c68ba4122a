package lifeboat.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import lifeboat.workflows.TaskQueues;

/** An open connection to Temporal for one command: close it when the command ends. */
public final class Temporal implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String namespace;
  private Boolean lifeboatAttributes; // asked once, at the first start that wants them

  public Temporal(TemporalOptions options) {
    this(options, options.dataConverter());
  }

  // The converter first, so that a bad key fails before a connection is opened (and left open).
  private Temporal(TemporalOptions options, DataConverter converter) {
    this(options.connect(), options.namespace(), converter);
  }

  public Temporal(WorkflowServiceStubs service, String namespace) {
    this(service, namespace, DefaultDataConverter.STANDARD_INSTANCE);
  }

  /** @param converter  the history key's ({@code TemporalOptions.dataConverter()}), or the default */
  public Temporal(WorkflowServiceStubs service, String namespace, DataConverter converter) {
    this.service = service;
    this.client = WorkflowClient.newInstance(service, io.temporal.client.WorkflowClientOptions.newBuilder()
        .setNamespace(namespace).setDataConverter(converter).build());
    this.namespace = namespace;
  }

  /** A plain-text connection to a local server, such as the embedded one. */
  public static Temporal local(String address) {
    return local(address, null);
  }

  /** As {@link #local(String)}, the SDK reporting its metrics to {@code metricsScope} (nullable). */
  public static Temporal local(String address, com.uber.m3.tally.Scope metricsScope) {
    return local(address, metricsScope, DefaultDataConverter.STANDARD_INSTANCE);
  }

  /** As {@link #local(String, com.uber.m3.tally.Scope)}, reading and writing payloads with {@code converter}. */
  public static Temporal local(String address, com.uber.m3.tally.Scope metricsScope, DataConverter converter) {
    var options = io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(address)
        .setChannelInitializer(ClientEventLoop::use);
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    return new Temporal(WorkflowServiceStubs.newServiceStubs(options.build()), "default", converter);
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  /**
   * Options to start a Lifeboat workflow a user asked for: as {@link #start(String)}, with Lifeboat's search
   * attributes (kind, database) where the namespace has them, so that the Web UI and `temporal workflow list
   * --query` find it by database and kind.
   */
  public WorkflowOptions start(String workflowId, String kind, String database) {
    if (lifeboatAttributes == null) {
      lifeboatAttributes = RegisteredSearchAttributes.haveLifeboats(service, namespace);
    }
    if (!lifeboatAttributes) {
      return start(workflowId);
    }
    return WorkflowOptions.newBuilder(start(workflowId))
        .setTypedSearchAttributes(lifeboat.workflows.SearchAttributes.atStart(kind, database))
        .build();
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
    service.shutdownNow();
    service.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
