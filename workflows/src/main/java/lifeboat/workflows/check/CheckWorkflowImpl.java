package lifeboat.workflows.check;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.CheckActivities;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupStatus;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.runbook.AlarmPolicy;

public class CheckWorkflowImpl implements CheckWorkflow {
  private final CheckActivities steps = Workflow.newActivityStub(CheckActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public CheckResult check(CheckRequest request) {
    CheckRequest req = request == null ? CheckRequest.all() : request;
    List<String> databases = req.databases() == null || req.databases().isEmpty()
        ? log.run("list-databases", steps::listDatabases)
        : req.databases();
    validate(req, databases);
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    List<DatabaseCheck> checks = new ArrayList<>();
    for (String database : databases) {
      AlarmPolicy policy = req.policyFor(database);
      try {
        BackupStatus status = log.run("read-backup-status", () -> steps.readBackupStatus(database));
        checks.add(AlarmRules.evaluate(status, policy, now));
      } catch (ActivityFailure e) {
        // An unreadable repository is an alarm of its own, not a reason to stop checking the others.
        checks.add(AlarmRules.unreadable(database, policy, StepLog.describe(e)));
      }
    }
    CheckResult result = new CheckResult(now.toString(), List.copyOf(checks), "none");
    String notification;
    try {
      AlertDelivery delivery = log.run("send-alerts", () -> steps.sendAlerts(result));
      notification = delivery.detail();
    } catch (ActivityFailure e) {
      // The alarms stay in the result: a broken webhook must not make a failing backup look fine.
      notification = "failed: " + StepLog.describe(e);
    }
    log.finished();
    return new CheckResult(result.checkedAt(), result.databases(), notification);
  }

  /** Bad limits fail the check at once (not retried: a workflow task would otherwise retry forever). */
  private static void validate(CheckRequest req, List<String> databases) {
    try {
      for (String database : databases) {
        AlarmRules.validate(req.policyFor(database), database);
      }
    } catch (IllegalArgumentException e) {
      throw WorkflowError.INVALID_INPUT.failure(e.getMessage());
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
