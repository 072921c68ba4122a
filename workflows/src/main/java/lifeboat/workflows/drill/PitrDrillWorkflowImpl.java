package lifeboat.workflows.drill;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.Cancellations;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.activities.PitrActivities;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.pitr.Canaries;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.RecoveryOutcome;
import lifeboat.workflows.pitr.RecoveryPlan;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;

public class PitrDrillWorkflowImpl implements PitrDrillWorkflow {
  private static final Duration HOST_WAIT = Duration.ofMinutes(10);
  /** MariaDB PITR drills (a dump and its binlog, {@link BinlogPitrDrill}) began here. */
  static final String MARIADB_PITR_DRILL = "mariadb-pitr-drill";

  private final PitrActivities pitr = Workflow.newActivityStub(PitrActivities.class);
  private final DrillActivities drill = Workflow.newActivityStub(DrillActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public DrillReport drill(DrillRequest request) {
    Runbook runbook = request.runbook();
    String database = runbook.database();
    RestoreSpec spec = runbook.restore();
    Double rto = spec == null || spec.rto() == null ? null
        : (double) Durations.inRunbook("restore.rto", spec.rto()).toSeconds();
    String drillId = Workflow.getInfo().getWorkflowId();
    long started = Workflow.currentTimeMillis();
    String failure = null;
    boolean cancelled = false;
    RecoveryPlan plan = null;
    PitrActivities host = null;
    Canaries canaries = null;
    RecoveryOutcome outcome = null;
    double recoveryPoint = -1;
    List<SmokeResult> checks = List.of();
    BinlogPitrDrill binlog = null;
    try {
      String table = spec == null ? RestoreSpec.DEFAULT_CANARY_TABLE : spec.canaryTableOrDefault();
      Canaries written = log.run("write-canaries", () -> pitr.writeCanaries(database, drillId, table));
      canaries = written;
      recoveryPoint = log.run("await-archived", () -> pitr.awaitArchived(database, written.secondLsn()));
      if (written.binlog()) {
        // Only MariaDB canaries take this branch: recorded PostgreSQL drills replay as they ran.
        Workflow.getVersion(MARIADB_PITR_DRILL, Workflow.DEFAULT_VERSION, 1);
        binlog = new BinlogPitrDrill(log, drill);
        checks = binlog.restoreAndCheck(database, spec, drillId, written, runbook.smoke());
        failure = failedChecks(checks);
      } else {
        PitrRequest restore = new PitrRequest(database, null, written.targetTime(), null, false, null, 0);
        plan = log.run("plan-recovery", () -> pitr.planRecovery(restore));
        RecoveryPlan planned = plan;
        host = Workflow.newActivityStub(PitrActivities.class, ActivityOptions.newBuilder()
            .setTaskQueue(plan.taskQueue()).setScheduleToStartTimeout(HOST_WAIT).build());
        PitrActivities onHost = host;
        log.run("restore-base-backup", () -> onHost.restoreBaseBackup(planned));
        log.run("fetch-wal", () -> onHost.fetchWal(planned));
        outcome = log.run(DrillReport.RESTORE_STEP, () -> onHost.recoverToTarget(planned));
        checks = log.run("check-canaries-and-smoke", () -> onHost.checkRecovered(planned, written, runbook.smoke()));
        failure = failedChecks(checks);
      }
    } catch (ActivityFailure | CanceledFailure e) {
      cancelled = Cancellations.isCancellation(e);
      failure = cancelled ? "cancelled" : StepLog.describe(e);
    }
    String leftBehind = null;
    if (binlog != null) {
      leftBehind = binlog.tearDown();
      if (leftBehind != null) {
        failure = failure == null ? leftBehind : failure + "; and " + leftBehind;
      }
    }
    if (plan != null) {
      RecoveryPlan toRemove = plan;
      PitrActivities onHost = host;
      String[] left = {null};
      // Always, and detached: a cancelled drill still removes its cluster.
      Workflow.newDetachedCancellationScope(() -> {
        try {
          log.run("teardown-target", () -> onHost.discardRecoveryTarget(toRemove));
        } catch (ActivityFailure e) {
          left[0] = "the throwaway cluster in " + toRemove.dir() + " is left behind: " + StepLog.describe(e)
              + " [" + RestoreDrillWorkflowImpl.TEARDOWN_FAILURE_TYPE + "] HINT: pg_ctl -D " + toRemove.dir()
              + " stop -m immediate, then rm -rf " + toRemove.dir();
        }
      }).run();
      leftBehind = left[0];
      if (leftBehind != null) {
        failure = failure == null ? leftBehind : failure + "; and " + leftBehind;
      }
    }
    DrillReport report = report(request, drillId, started, rto, plan, binlog, canaries, outcome, recoveryPoint,
        checks, failure);
    Workflow.newDetachedCancellationScope(() -> RestoreDrillWorkflowImpl.finish(log, drill, report)).run();
    if (leftBehind != null) {
      throw failedWith(RestoreDrillWorkflowImpl.TEARDOWN_FAILURE_TYPE, database, report);
    }
    if (cancelled) {
      CanceledFailure e = new CanceledFailure("drill cancelled");
      log.failed(e);
      throw e;
    }
    if (failure != null) {
      throw failedWith(RestoreDrillWorkflowImpl.FAILURE_TYPE, database, report);
    }
    log.finished();
    return report;
  }

  /** "2 check(s) failed: 'a': …; 'b': …", or null when all passed. */
  private static String failedChecks(List<SmokeResult> checks) {
    List<SmokeResult> failed = checks.stream().filter(c -> !c.passed()).toList();
    if (failed.isEmpty()) {
      return null;
    }
    return failed.size() + " check(s) failed: " + failed.stream().map(c -> "'" + c.name() + "': "
        + c.detail()).reduce((a, b) -> a + "; " + b).orElse("");
  }

  private DrillReport report(DrillRequest request, String drillId, long started, Double rto, RecoveryPlan plan,
      BinlogPitrDrill binlog, Canaries canaries, RecoveryOutcome outcome, double recoveryPoint,
      List<SmokeResult> checks, String failure) {
    long ended = Workflow.currentTimeMillis();
    double seconds = (ended - started) / 1000.0;
    List<StepRecord> steps = log.progress().steps();
    Boolean met = rto == null || !DrillReport.restoreRan(steps) ? null : seconds <= rto;
    List<String> facts = new ArrayList<>();
    if (canaries != null) {
      facts.add("to " + canaries.targetTime() + " (between canaries " + canaries.firstId() + " and "
          + canaries.secondId() + " in " + canaries.table() + ")");
    }
    if (recoveryPoint >= 0) {
      facts.add(String.format(java.util.Locale.ROOT, "recovery point: the %s was in the repository %.1f s after"
          + " the write", binlog != null ? "binlog" : "WAL", recoveryPoint));
    }
    if (binlog != null) {
      facts.addAll(binlog.facts());
    }
    if (plan != null) {
      facts.add("WAL " + plan.firstSegment() + " to " + plan.lastSegment());
      facts.add("restored into 127.0.0.1:" + plan.port() + " (" + plan.dir() + ")");
    }
    if (outcome != null) {
      facts.add(outcome.stoppedAt());
    }
    Runbook runbook = request.runbook();
    return new DrillReport(drillId, Workflow.getInfo().getWorkflowId(), runbook.kind(), runbook.name(),
        runbook.database(), request.trigger(), plan != null ? plan.backupId() : binlog == null ? null
            : binlog.backupId(), null,
        String.join("; ", facts), null, null, null, null, checks, started, ended, seconds, rto, met,
        failure == null, failure, steps);
  }

  private RuntimeException failedWith(String type, String database, DrillReport report) {
    ApplicationFailure e = ApplicationFailure.newNonRetryableFailure("drill of " + database + " failed: "
        + report.failure(), type, report);
    log.failed(e);
    return e;
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
