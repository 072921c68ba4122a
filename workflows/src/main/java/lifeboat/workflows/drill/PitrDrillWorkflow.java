package lifeboat.workflows.drill;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * The point-in-time recovery drill (kind {@code pitr-drill}): canary rows on the primary around a moment, a
 * restore of a base backup plus WAL to that moment into a throwaway cluster, the first canary there and the
 * second not, the runbook's smoke checks, teardown whatever happens, a report like the restore drill's. Fails
 * with DRILL_FAILED (the report in its details) when anything did not hold.
 */
@WorkflowInterface
public interface PitrDrillWorkflow {
  @WorkflowMethod
  DrillReport drill(DrillRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
