package lifeboat.workflows.drill;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Reads a database's past drill reports from its repository, newest first, for `lifeboat drill history`. */
@WorkflowInterface
public interface DrillHistoryWorkflow {

  @WorkflowMethod
  List<DrillReport> history(String database, int limit);
}
