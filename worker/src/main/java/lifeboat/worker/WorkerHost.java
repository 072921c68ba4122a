package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import lifeboat.activities.support.Metrics;
import lifeboat.activities.support.Workspace;
import lifeboat.worker.history.HistoryEncryption;

/**
 * The worker's entry point for the CLI's `dev`, `demo` and `worker` commands. Takes only a connection and a
 * configuration path, so the CLI never touches an activity.
 */
public final class WorkerHost implements AutoCloseable {
  private final WorkerFactory factory;
  private final ServerFeatures server;

  private WorkerHost(WorkerFactory factory, ServerFeatures server) {
    this.factory = factory;
    this.server = server;
  }

  /**
   * Loads and validates the configuration (a broken lifeboat.yaml stops the worker here, not at the first
   * backup), then starts polling.
   *
   * @throws IllegalArgumentException with a one-line message when the configuration is invalid
   */
  public static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile) {
    return start(service, namespace, configFile, Metrics.none());
  }

  /**
   * As {@link #start(WorkflowServiceStubs, String, Path)}, recording Lifeboat's metrics into {@code metrics}
   * (give the same {@link WorkerMetrics}' scope to the service stubs for the SDK's metrics).
   */
  public static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile,
      WorkerMetrics metrics) {
    return start(service, namespace, configFile, metrics.activityMetrics());
  }

  private static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile,
      Metrics metrics) {
    // Loads and validates lifeboat.yaml, and resolves the history key once, here: a worker that cannot read it
    // would otherwise fail every workflow task later.
    DataConverter converter = HistoryEncryption.dataConverter(configFile, true);
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(converter).build());
    ServerFeatures server = ServerFeatures.probe(service, namespace);
    return new WorkerHost(LifeboatWorker.start(client, Workspace.fromFile(configFile, metrics), server), server);
  }

  /** Which kind of server this worker polls (sticky execution follows from it). */
  public ServerFeatures server() {
    return server;
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
  }

}
