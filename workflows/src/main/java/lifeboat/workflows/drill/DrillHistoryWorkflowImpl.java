package lifeboat.workflows.drill;

import io.temporal.workflow.Workflow;
import java.util.List;
import lifeboat.workflows.activities.DrillActivities;

public class DrillHistoryWorkflowImpl implements DrillHistoryWorkflow {
  private final DrillActivities drill = Workflow.newActivityStub(DrillActivities.class);

  @Override
  public List<DrillReport> history(String database, int limit) {
    return drill.listDrills(database, limit);
  }
}
