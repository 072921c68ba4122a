package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityMethod;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.activities.BackupActivities;
import lifeboat.workflows.activities.CatalogActivities;
import lifeboat.workflows.activities.CheckActivities;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.activities.FailoverActivities;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.activities.NotifyActivities;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.activities.RetentionActivities;
import lifeboat.workflows.activities.TimelineActivities;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.activities.PitrActivities;
import org.junit.jupiter.api.Test;

/**
 * A step without its own options would get the defaults, and with them the workflow's task queue: a restore step
 * missing here would go to the shared queue, where a backup worker without the private key takes it.
 */
class ActivityPoliciesTest {
  private static final Class<?>[] INTERFACES = {BackupActivities.class, CatalogActivities.class,
      CheckActivities.class, DrillActivities.class, FailoverActivities.class, MigrationActivities.class,
      NotifyActivities.class, RestoreActivities.class, RetentionActivities.class, TimelineActivities.class,
      WalActivities.class, PitrActivities.class};

  @Test
  void everyStepHasItsOwnOptionsAndTheQueueOfItsRole() {
    Set<String> steps = Arrays.stream(INTERFACES).flatMap(c -> Arrays.stream(c.getMethods()))
        .map(m -> m.getAnnotation(ActivityMethod.class)).filter(a -> a != null).map(ActivityMethod::name)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(steps, new TreeSet<>(ActivityPolicies.byType().keySet()), "steps without options, or stale ones");
    assertTrue(steps.containsAll(TaskQueues.BACKUP_STEPS), "backup steps are steps");
    assertTrue(steps.containsAll(TaskQueues.RESTORE_STEPS), "restore steps are steps");
    ActivityPolicies.byType().forEach((step, options) ->
        assertEquals(TaskQueues.BACKUP_STEPS.contains(step) ? TaskQueues.BACKUP
            : TaskQueues.RESTORE_STEPS.contains(step) ? TaskQueues.RESTORE : TaskQueues.LIFEBOAT,
            options.getTaskQueue(), step));
  }

  /** A dead worker is noticed within the heartbeat timeout whatever step it was in (docs/reliability.md). */
  @Test
  void everyStepHasTheHeartbeatTimeoutAndTheSelfHeartbeatingOnesAreSteps() {
    ActivityPolicies.byType().forEach((step, options) ->
        assertEquals(step.equals("StreamWal") ? ActivityPolicies.WAL_HEARTBEAT : ActivityPolicies.HEARTBEAT,
            options.getHeartbeatTimeout(), step));
    assertTrue(ActivityPolicies.byType().keySet().containsAll(ActivityPolicies.HEARTBEAT_THEMSELVES),
        "stale names in HEARTBEAT_THEMSELVES");
  }
}
