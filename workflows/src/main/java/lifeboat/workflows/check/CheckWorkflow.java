package lifeboat.workflows.check;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Checks that databases have fresh, plausible backups: list-databases → read-backup-status (per database)
 * → send-alerts. Alarms are in the result; it never fails because a database is in alarm. Started by
 * `lifeboat check` and, as a child, by schedules of kind {@code check}.
 */
@WorkflowInterface
public interface CheckWorkflow {

  @WorkflowMethod
  CheckResult check(CheckRequest request);

  @QueryMethod
  WorkflowProgress progress();
}
