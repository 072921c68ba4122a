package lifeboat.workflows.wal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.WalStatus;

/** A short workflow that reads a database's WAL archive status: only workers reach repositories and servers. */
@WorkflowInterface
public interface WalStatusWorkflow {
  @WorkflowMethod
  WalStatus status(String database);
}
