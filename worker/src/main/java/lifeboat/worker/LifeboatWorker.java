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
   * No sticky execution. With it, a workflow's next task goes to the queue of the worker that ran the last
   * one; a real Temporal server moves it back to the shared queue when that worker dies, but the embedded
   * server of `lifeboat dev` never does, so a killed worker would strand its workflows. Without it every
   * workflow task replays the history: a few dozen events for these workflows, which costs nothing.
   */
  static final WorkerOptions WORKER_OPTIONS =
      WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();

  private LifeboatWorker() {}

  /** Registers everything on a new worker of {@code factory}; the caller starts the factory. */
  public static Worker register(WorkerFactory factory, Workspace workspace) {
    Worker worker = factory.newWorker(TaskQueues.LIFEBOAT, WORKER_OPTIONS);
    for (Class<?> type : Workflows.IMPLEMENTATIONS) {
      worker.registerWorkflowImplementationTypes(ActivityPolicies.workflowOptions(), type);
    }
    Object[] activities = activities(workspace);
    worker.registerActivitiesImplementations(activities);
    // The same activities on this host's queue, where a drill sends the steps on its local throwaway target.
    factory.newWorker(HostQueue.name(), WORKER_OPTIONS).registerActivitiesImplementations(activities);
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

  public static WorkerFactory start(WorkflowClient client, Workspace workspace) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    register(factory, workspace);
    factory.start();
    return factory;
  }
}
