package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.drill.OrphanedDrillTargets;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Metrics;
import lifeboat.activities.support.WarmUp;
import lifeboat.activities.support.Workspace;
import lifeboat.worker.history.HistoryEncryption;
import lifeboat.workflows.TaskQueues.Role;

/**
 * The worker's entry point for the CLI's `dev`, `demo` and `worker` commands. Takes only a connection and a
 * configuration path, so the CLI never touches an activity.
 */
public final class WorkerHost implements AutoCloseable {
  private final WorkerFactory factory;
  private final ServerFeatures server;
  private final List<String> removedDrillTargets;

  private WorkerHost(WorkerFactory factory, ServerFeatures server, List<String> removedDrillTargets) {
    this.factory = factory;
    this.server = server;
    this.removedDrillTargets = removedDrillTargets;
  }

  /**
   * Loads and validates the configuration (a broken lifeboat.yaml stops the worker here, not at the first
   * backup), then starts polling.
   *
   * @throws IllegalArgumentException with a one-line message when the configuration is invalid
   */
  public static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile) {
    return start(service, namespace, configFile, Role.ALL, Metrics.none());
  }

  /**
   * As {@link #start(WorkflowServiceStubs, String, Path)}, recording Lifeboat's metrics into {@code metrics}
   * (give the same {@link WorkerMetrics}' scope to the service stubs for the SDK's metrics).
   */
  public static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile,
      WorkerMetrics metrics) {
    return start(service, namespace, configFile, Role.ALL, metrics.activityMetrics());
  }

  /** As above, for one role: a worker whose configuration cannot serve the role refuses to start. */
  public static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile, Role role,
      WorkerMetrics metrics) {
    return start(service, namespace, configFile, role, metrics.activityMetrics());
  }

  private static WorkerHost start(WorkflowServiceStubs service, String namespace, Path configFile, Role role,
      Metrics metrics) {
    // Loads and validates lifeboat.yaml once, and resolves the history key here: a worker that cannot read it
    // would otherwise fail every workflow task later.
    Config config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (LifeboatException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    }
    DataConverter converter = HistoryEncryption.dataConverter(config);
    refuseUnservableRole(config, role);
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(converter).build());
    ServerFeatures server = ServerFeatures.probe(service, namespace);
    WarmUp.inBackground(configFile);
    Workspace workspace = Workspace.fromFile(configFile, metrics);
    // Drill steps run on restore workers: they, on the target's host, remove what a gone drill left there.
    List<String> removed = role.restores()
        ? new OrphanedDrillTargets(workspace).remove(namespace, new DrillWorkflowStates(service, namespace))
        : List.of();
    return new WorkerHost(LifeboatWorker.start(client, workspace, role, server), server, removed);
  }

  /**
   * What the start did about throwaway drill targets whose drill workflow is gone (closed, or unknown to the
   * server): one line per target removed, or that could not be; for the worker's output.
   */
  public List<String> removedDrillTargets() {
    return removedDrillTargets;
  }

  /**
   * A restore needs the private key of every encrypted database: a worker without one would take restore steps
   * only to fail them. (A configuration whose databases are all stored unencrypted restores without a key.)
   */
  private static void refuseUnservableRole(Config config, Role role) {
    boolean anyEncrypted = config.databases().values().stream().anyMatch(db -> !db.unencrypted());
    boolean hasPrivateKey = config.encryption() != null && config.encryption().privateKey() != null;
    if (role.restores() && anyEncrypted && !hasPrivateKey) {
      LifeboatException refused = new LifeboatException(ErrorCode.CONFIG_INVALID, "this worker cannot take the "
          + role.cliName() + " role: lifeboat.yaml has no encryption.privateKey, and restores and drills need it",
          "run it with --role backup (backups need the public keys only), or configure the private key on the"
          + " hosts that restore");
      throw new IllegalArgumentException(refused.userMessage(), refused);
    }
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
