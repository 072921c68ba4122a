package lifeboat.workflows.wal;

import io.temporal.workflow.Workflow;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.model.WalStatus;

public class WalStatusWorkflowImpl implements WalStatusWorkflow {
  private final WalActivities wal = Workflow.newActivityStub(WalActivities.class);

  @Override
  public WalStatus status(String database) {
    return wal.readWalStatus(database);
  }
}
