package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.catalog.CatalogActivitiesImpl;
import lifeboat.activities.check.CheckActivitiesImpl;
import lifeboat.activities.drill.DrillActivitiesImpl;
import lifeboat.activities.failover.FailoverActivitiesImpl;
import lifeboat.activities.timeline.TimelineActivitiesImpl;
import lifeboat.activities.migration.MigrationActivitiesImpl;
import lifeboat.activities.notify.NotifyActivitiesImpl;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.retention.RetentionActivitiesImpl;
import lifeboat.activities.support.HostQueue;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.Workflows;

/** Wires every workflow and activity implementation onto one worker polling the Lifeboat task queue. */
public final class LifeboatWorker {
  /**
   * No sticky execution, for the in-memory server. With it, a workflow's next task goes to the queue of the
   * worker that ran the last one; a real Temporal server moves it back to the shared queue when that worker
   * dies (after the sticky schedule-to-start timeout), but the in-memory server never does, so a killed worker
   * would strand its workflows. Without it every workflow task replays the history: a few dozen events for
   * these workflows, which costs little.
   */
  static final WorkerOptions WORKER_OPTIONS =
      WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();

  /**
   * A real server: sticky execution on (the SDK's default), so a workflow's next task runs on the worker that
   * has its state cached; a dead worker's sticky tasks go back to the shared queue after 5 s.
   */
  static final WorkerOptions STICKY_WORKER_OPTIONS =
      WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ofSeconds(5)).build();

  private LifeboatWorker() {}

  /** Registers everything on a new worker of {@code factory}; the caller starts the factory. */
  public static Worker register(WorkerFactory factory, Workspace workspace) {
    return register(factory, workspace, WORKER_OPTIONS);
  }

  private static Worker register(WorkerFactory factory, Workspace workspace, WorkerOptions options) {
    Worker worker = factory.newWorker(TaskQueues.LIFEBOAT, options);
    for (Class<?> type : Workflows.IMPLEMENTATIONS) {
      worker.registerWorkflowImplementationTypes(ActivityPolicies.workflowOptions(), type);
    }
    Object[] activities = activities(workspace);
    worker.registerActivitiesImplementations(activities);
    // The same activities on this host's queue, where a drill sends the steps on its local throwaway target.
    factory.newWorker(HostQueue.name(), options).registerActivitiesImplementations(activities);
    return worker;
  }

  private static Object[] activities(Workspace workspace) {
    return new Object[] {
        new BackupActivitiesImpl(workspace),
        new RestoreActivitiesImpl(workspace),
        new CatalogActivitiesImpl(workspace),
        new RetentionActivitiesImpl(workspace),
        new CheckActivitiesImpl(workspace),
        new NotifyActivitiesImpl(workspace),
        new DrillActivitiesImpl(workspace),
        new MigrationActivitiesImpl(workspace),
        new FailoverActivitiesImpl(workspace),
        new TimelineActivitiesImpl(workspace)};
  }

  /** Registers and starts polling; sticky execution only on a real server (see {@link #WORKER_OPTIONS}). */
  public static WorkerFactory start(WorkflowClient client, Workspace workspace, ServerFeatures server) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    register(factory, workspace, server.realServer() ? STICKY_WORKER_OPTIONS : WORKER_OPTIONS);
    factory.start();
    return factory;
  }
}
