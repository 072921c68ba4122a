package lifeboat.workflows.pitr;

import io.temporal.workflow.Workflow;
import lifeboat.workflows.activities.PitrActivities;

public class RestorePointWorkflowImpl implements RestorePointWorkflow {
  private final PitrActivities pitr = Workflow.newActivityStub(PitrActivities.class);

  @Override
  public String create(String database, String name) {
    return pitr.createRestorePoint(database, name);
  }
}
