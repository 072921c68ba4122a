package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.catalog.CatalogActivitiesImpl;
import lifeboat.activities.check.CheckActivitiesImpl;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.Workflows;

/** Wires every workflow and activity implementation onto one worker polling the Lifeboat task queue. */
public final class LifeboatWorker {
  private LifeboatWorker() {}

  /** Registers everything on a new worker of {@code factory}; the caller starts the factory. */
  public static Worker register(WorkerFactory factory, Workspace workspace) {
    Worker worker = factory.newWorker(TaskQueues.LIFEBOAT);
    for (Class<?> type : Workflows.IMPLEMENTATIONS) {
      worker.registerWorkflowImplementationTypes(ActivityPolicies.workflowOptions(), type);
    }
    worker.registerActivitiesImplementations(
        new BackupActivitiesImpl(workspace),
        new RestoreActivitiesImpl(workspace),
        new CatalogActivitiesImpl(workspace),
        new CheckActivitiesImpl(workspace));
    return worker;
  }

  public static WorkerFactory start(WorkflowClient client, Workspace workspace) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    register(factory, workspace);
    factory.start();
    return factory;
  }
}
