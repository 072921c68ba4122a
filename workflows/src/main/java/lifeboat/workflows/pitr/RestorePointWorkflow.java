package lifeboat.workflows.pitr;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** `lifeboat restore-point <db> NAME`: a named restore point on the database, recorded in its repository. */
@WorkflowInterface
public interface RestorePointWorkflow {
  @WorkflowMethod
  String create(String database, String name);
}
