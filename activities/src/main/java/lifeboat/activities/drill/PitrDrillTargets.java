package lifeboat.activities.drill;

import java.nio.file.Path;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.HostQueue;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.pitr.RecoveryPlan;

/**
 * A PITR drill's throwaway cluster as a drill target like any other: named and placed by {@link DrillPlaces} in
 * the worker's drill folder, recorded in the {@link DrillTargetLedger} before its data directory is made and
 * cleared once it is removed. So a worker that starts after a drill whose workflow is gone removes it
 * ({@link OrphanedDrillTargets}), and `lifeboat check` names it, exactly as for a restore drill's cluster.
 */
public final class PitrDrillTargets {
  private PitrDrillTargets() {}

  /** Where a new PITR drill of {@code database} recovers: a drill name's folder in the drill folder. */
  public static Path place(String database, String unique) {
    DrillPlaces places = DrillPlaces.standard();
    return places.place(DrillPlaces.name("pitr_" + database + "_" + unique), ThrowawayTarget.CLUSTER);
  }

  /** Before the unpack makes the data directory; {@code workflowId}: the drill's (null outside a workflow). */
  public static void opened(Repository repo, RecoveryPlan plan, String workflowId, String namespace) {
    ThrowawayTarget t = target(plan);
    DrillPlaces.standard().requireDrillMade(t);
    DrillTargetLedger.opened(repo, t, workflowId, namespace);
  }

  /** Once the cluster is removed. Idempotent. */
  public static void closed(Repository repo, RecoveryPlan plan) {
    DrillTargetLedger.closed(repo, target(plan));
  }

  private static ThrowawayTarget target(RecoveryPlan plan) {
    String name = Path.of(plan.dir()).getFileName().toString();
    String drillId = name.startsWith(DrillPlaces.PREFIX) ? name.substring(DrillPlaces.PREFIX.length()) : name;
    return new ThrowawayTarget(drillId, plan.database(), "postgres", ThrowawayTarget.CLUSTER, name, plan.dir(), null,
        null, "postgresql://127.0.0.1:" + plan.port() + "/postgres", plan.taskQueue() == null ? HostQueue.name()
            : plan.taskQueue());
  }
}
