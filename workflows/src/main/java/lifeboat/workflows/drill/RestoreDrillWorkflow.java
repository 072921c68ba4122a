package lifeboat.workflows.drill;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Proves a backup restores: pick → verify checksum → provision a throwaway target → globals → restore →
 * schema check → migrate → schema check → smoke checks → teardown (always) → report. Runs the kinds
 * restore-drill and restore-schema-push. A drill that fails (a step, a smoke check) writes its report and
 * then fails the workflow with {@code DRILL_FAILED}, the report in the failure's details, so a schedule and
 * `lifeboat status` show it failed; a drill that cannot start (no backup, no key) fails the same way.
 */
@WorkflowInterface
public interface RestoreDrillWorkflow {

  @WorkflowMethod
  DrillReport drill(DrillRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
