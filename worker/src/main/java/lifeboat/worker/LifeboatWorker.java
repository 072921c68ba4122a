package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.function.UnaryOperator;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.catalog.CatalogActivitiesImpl;
import lifeboat.activities.check.CheckActivitiesImpl;
import lifeboat.activities.drill.DrillActivitiesImpl;
import lifeboat.activities.failover.FailoverActivitiesImpl;
import lifeboat.activities.timeline.TimelineActivitiesImpl;
import lifeboat.activities.wal.WalActivitiesImpl;
import lifeboat.activities.migration.MigrationActivitiesImpl;
import lifeboat.activities.notify.NotifyActivitiesImpl;
import lifeboat.activities.pitr.PitrActivitiesImpl;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.retention.RetentionActivitiesImpl;
import lifeboat.activities.support.HostQueue;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.TaskQueues.Role;
import lifeboat.workflows.Workflows;

/** Wires the workflows and the activity implementations of a worker's role onto the task queues of that role. */
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

  /**
   * Backup steps one worker runs at once. Each dump holds zstd's native buffers and a dump tool's pipe: 100
   * backups started in the same second took the worker to 421 MB RSS with the SDK's default of 200 (bench/
   * busy-night.sh, docs/benchmarks.md). The others wait in the queue, not started, so no heartbeat times out;
   * on two cores four at once already keep the machine busy.
   */
  static final int PARALLEL_BACKUP_STEPS = 4;

  /** The worker's heartbeat for the steps that cannot heartbeat themselves (see ActivityPolicies.HEARTBEAT). */
  private static final LivenessHeartbeats LIVENESS = new LivenessHeartbeats(ActivityPolicies.HEARTBEAT_THEMSELVES, LivenessHeartbeats.EVERY);

  private LifeboatWorker() {}

  /** Registers every role on new workers of {@code factory}; the caller starts the factory. */
  public static Worker register(WorkerFactory factory, Workspace workspace) {
    return register(factory, workspace, UnaryOperator.identity());
  }

  /**
   * As {@link #register(WorkerFactory, Workspace)}, each activity implementation passed through {@code wrap}
   * first: how tests put a failure in front of a real step (FaultInjection) without replacing it.
   */
  static Worker register(WorkerFactory factory, Workspace workspace, UnaryOperator<Object> wrap) {
    return register(factory, workspace, Role.ALL, WORKER_OPTIONS, wrap);
  }

  /**
   * The shared queue (workflows and the steps any role runs) on every worker, then the queues of its role. The
   * host queue, where a drill sends the steps on its local throwaway target, is a restore worker's.
   */
  private static Worker register(WorkerFactory factory, Workspace workspace, Role role, WorkerOptions options,
      UnaryOperator<Object> wrap) {
    Worker worker = factory.newWorker(TaskQueues.LIFEBOAT, options);
    for (Class<?> type : Workflows.IMPLEMENTATIONS) {
      worker.registerWorkflowImplementationTypes(ActivityPolicies.workflowOptions(), type);
    }
    UnaryOperator<Object> wrapped = implementation -> LIVENESS.apply(wrap.apply(implementation));
    Object[] shared = java.util.Arrays.stream(shared(workspace)).map(wrapped).toArray();
    Object restore = wrapped.apply(new RestoreActivitiesImpl(workspace));
    Object pitr = wrapped.apply(new PitrActivitiesImpl(workspace));
    Object backup = wrapped.apply(new BackupActivitiesImpl(workspace));
    Object wal = wrapped.apply(new WalActivitiesImpl(workspace));
    Object[] all = concat(shared, restore, pitr, backup, wal);
    // Without the private key a worker is never handed a restore step, not even one an older workflow sent here.
    worker.registerActivitiesImplementations(role.restores() ? all : concat(shared, backup, wal));
    if (role.backs()) {
      factory.newWorker(TaskQueues.BACKUP, WorkerOptions.newBuilder(options)
          .setMaxConcurrentActivityExecutionSize(PARALLEL_BACKUP_STEPS).build())
          .registerActivitiesImplementations(backup, wal);
    }
    if (role.restores()) {
      factory.newWorker(TaskQueues.RESTORE, options).registerActivitiesImplementations(all);
      factory.newWorker(HostQueue.name(), options).registerActivitiesImplementations(all);
    }
    return worker;
  }

  private static Object[] concat(Object[] shared, Object... more) {
    Object[] all = java.util.Arrays.copyOf(shared, shared.length + more.length);
    System.arraycopy(more, 0, all, shared.length, more.length);
    return all;
  }

  /** The implementations every role registers (each holds steps of the shared queue). */
  private static Object[] shared(Workspace workspace) {
    return new Object[] {
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
  public static WorkerFactory start(WorkflowClient client, Workspace workspace, Role role, ServerFeatures server) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    register(factory, workspace, role, server.realServer() ? STICKY_WORKER_OPTIONS : WORKER_OPTIONS,
        UnaryOperator.identity());
    factory.start();
    return factory;
  }
}
