package lifeboat.workflows.pitr;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * `lifeboat restore <db> --to-dir DIR --port P --to-time T` (or --to-lsn, --immediate): a base backup and the
 * archived WAL into a new cluster, recovered to the target and promoted, then checked to have stopped where it
 * should. On failure the new cluster is stopped and DIR emptied.
 */
@WorkflowInterface
public interface PointInTimeRestoreWorkflow {
  @WorkflowMethod
  PitrResult restore(PitrRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
