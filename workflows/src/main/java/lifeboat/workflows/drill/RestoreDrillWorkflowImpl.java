package lifeboat.workflows.drill;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.schedule.ScheduledTime;

/**
 * One drill, step by step (the step names are what `lifeboat status` and the report show):
 * pick-backup, verify-checksum, plan-target, check-key, create-target, restore-globals, restore, check-schema-version,
 * migrate, check-schema, smoke-checks, teardown-target, record-report, notify.
 *
 * <p>The teardown is registered before the target is created and runs whatever happens (failure, smoke check
 * failed, cancellation) in a detached scope, so a cancelled drill still removes its database.
 */
public class RestoreDrillWorkflowImpl implements RestoreDrillWorkflow {
  public static final String FAILURE_TYPE = "DRILL_FAILED";

  /** The change id of the check-key step, added after drills had run without it (Workflow.getVersion). */
  static final String CHECK_KEY_CHANGE = "check-key-before-target";
  /** Version 1: a random pick's window ends at the run's scheduled time (a native Schedule's catch-up run
   * after an outage still drills the month it was meant for), not at the workflow time it started. */
  static final String WINDOW_AT_SCHEDULED_TIME = "window-at-scheduled-time";

  /**
   * How long a step on a worker's own throwaway target waits for a worker of that host: past it the host is
   * taken as gone (and its target with it), and the step fails instead of waiting forever.
   */
  static final Duration HOST_WAIT = Duration.ofMinutes(30);

  private final DrillActivities drill = Workflow.newActivityStub(DrillActivities.class);
  private final RestoreActivities restore = Workflow.newActivityStub(RestoreActivities.class);
  private DrillActivities drillOnTarget = drill;
  private RestoreActivities restoreOnTarget = restore;
  private MigrationActivities migration = Workflow.newActivityStub(MigrationActivities.class);
  private final StepLog log = new StepLog();

  // What the report says; filled in as the steps run.
  private BackupManifest manifest;
  private String targetDisplay;
  private String restoredVersion;
  private String migratedVersion;
  private List<SmokeResult> smoke = List.of();
  private final Saga teardown = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
  private boolean targetPlanned;

  @Override
  public DrillReport drill(DrillRequest request) {
    Runbook runbook = request.runbook();
    String database = runbook.database();
    RestoreSpec spec = (runbook.restore() == null ? RestoreSpec.DEFAULT : runbook.restore()).withDefaults();
    String selector = request.backup() != null ? request.backup() : spec.backup();
    long started = Workflow.currentTimeMillis();
    String drillId = BackupIds.newId(started, Workflow.randomUUID());
    String failure = null;
    RuntimeException cancelled = null;
    try {
      manifest = log.run("pick-backup", () -> pick(database, selector, spec));
      log.run("verify-checksum", () -> restore.verifyChecksum(manifest));
      ThrowawayTarget planned = log.run("plan-target", () -> drill.planThrowawayTarget(database, spec, drillId));
      onTargetHost(planned);
      // On the host that will restore, before anything exists there: a worker without the right key (or its
      // passphrase) fails the drill now, with nothing to tear down. Versioned: older drills never ran it.
      if (Workflow.getVersion(CHECK_KEY_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        log.run("check-key", () -> restoreOnTarget.checkDecryptionKey(manifest));
      }
      // Registered before the target exists: a creation that fails half-way is cleaned up too.
      teardown.addCompensation(() -> drillOnTarget.teardownThrowawayTarget(planned));
      targetPlanned = true;
      ThrowawayTarget target = log.run("create-target", () -> drillOnTarget.createThrowawayTarget(planned));
      targetDisplay = target.kind() + " " + target.name();
      RestoreRequest into = new RestoreRequest(database, manifest.backupId(), target.url(), target.passwordRef(),
          spec.jobs(), false, List.of(), false, false, spec.noOwner(),
          "postgres".equals(manifest.engine()) && !spec.noOwner());
      if (into.globals()) {
        log.run("restore-globals", () -> restoreOnTarget.restoreGlobals(into, manifest));
      }
      log.run("restore", () -> restoreOnTarget.restoreIntoTarget(into, manifest));
      failure = checks(runbook, target.dbTarget());
    } catch (ActivityFailure | ApplicationFailure e) {
      failure = StepLog.describe(e);
    } catch (CanceledFailure e) {
      cancelled = e;
    }
    // A cancelled activity surfaces as an ActivityFailure: the scope says whether the drill was cancelled.
    if (cancelled == null && CancellationScope.current().isCancelRequested()) {
      cancelled = new CanceledFailure("drill cancelled");
    }
    if (cancelled != null) {
      failure = "cancelled";
    }
    String teardownFailure = tearDown();
    if (failure == null && teardownFailure != null) {
      failure = "the throwaway target could not be torn down: " + teardownFailure;
    }
    DrillReport report = report(request, drillId, started, spec, failure);
    String finalFailure = failure;
    Workflow.newDetachedCancellationScope(() -> finish(report)).run();
    if (cancelled != null) {
      log.failed(cancelled);
      throw cancelled;
    }
    if (finalFailure != null) {
      log.failed(ApplicationFailure.newFailure(finalFailure, FAILURE_TYPE));
      throw ApplicationFailure.newNonRetryableFailure("drill of " + database + " failed: " + finalFailure,
          FAILURE_TYPE, report);
    }
    log.finished();
    return report;
  }

  /**
   * Runs the teardown registered for a planned target, always, and even when the drill itself is being
   * cancelled (a detached scope). Returns why it failed, or null.
   */
  private String tearDown() {
    if (!targetPlanned) {
      return null;
    }
    String[] failed = {null};
    Workflow.newDetachedCancellationScope(() -> {
      try {
        log.run("teardown-target", teardown::compensate);
      } catch (RuntimeException e) {
        failed[0] = StepLog.describe(e);
      }
    }).run();
    return failed[0];
  }

  /** Schema version as taken, the migrator, the schema check, the smoke checks. Returns the failure, or null. */
  private String checks(Runbook runbook, DbTarget target) {
    restoredVersion = log.run("check-schema-version", () -> {
      String found = migration.readSchemaVersion(target);
      if (manifest.schemaVersion() != null && !Objects.equals(manifest.schemaVersion(), found)) {
        throw ApplicationFailure.newNonRetryableFailure("the restored schema version is " + found
            + " but the backup was taken at " + manifest.schemaVersion(), "SCHEMA_MISMATCH");
      }
      return found;
    });
    if (runbook.migrator() != null) {
      log.run("migrate", () -> migration.migrate(target, runbook.migrator()));
      log.run("check-schema", () -> {
        var check = migration.checkSchema(target, runbook.migrator());
        if (!check.clean()) {
          throw ApplicationFailure.newNonRetryableFailure("the schema is not current after migrating: "
              + check.detail(), "SCHEMA_NOT_CURRENT");
        }
        return check;
      });
      migratedVersion = log.run("read-migrated-version", () -> migration.readSchemaVersion(target));
    }
    if (runbook.smokeChecks().isEmpty()) {
      return null;
    }
    smoke = log.run("smoke-checks", () -> drillOnTarget.runSmokeChecks(target, runbook.smokeChecks()));
    List<SmokeResult> failed = smoke.stream().filter(s -> !s.passed()).toList();
    if (failed.isEmpty()) {
      return null;
    }
    String what = failed.stream().map(s -> "'" + s.name() + "': " + s.detail()).reduce((a, b) -> a + "; " + b)
        .orElse("");
    return failed.size() + " smoke check" + (failed.size() == 1 ? "" : "s") + " failed: " + what;
  }

  /**
   * A cluster or a SQLite file exists on the worker's host only: every step on it goes to that host's queue.
   * The per-type timeouts and retries still apply (merged by the SDK); only the queue and the wait differ.
   */
  private void onTargetHost(ThrowawayTarget planned) {
    if (planned.taskQueue() == null) {
      return;
    }
    ActivityOptions host = ActivityOptions.newBuilder().setTaskQueue(planned.taskQueue())
        .setScheduleToStartTimeout(HOST_WAIT).build();
    drillOnTarget = Workflow.newActivityStub(DrillActivities.class, host);
    restoreOnTarget = Workflow.newActivityStub(RestoreActivities.class, host);
    migration = Workflow.newActivityStub(MigrationActivities.class, host);
  }

  /** The explicit id, the newest verified backup, or a random one within the window. */
  private BackupManifest pick(String database, String selector, RestoreSpec spec) {
    if (!RestoreSpec.RANDOM.equals(selector)) {
      return restore.resolveBackup(database, selector);
    }
    List<BackupManifest> candidates = drill.listDrillCandidates(database);
    Instant windowEnd = Workflow.getVersion(WINDOW_AT_SCHEDULED_TIME, Workflow.DEFAULT_VERSION, 1) >= 1
        ? ScheduledTime.orNow() : Instant.ofEpochMilli(Workflow.currentTimeMillis());
    BackupManifest picked = DrillWindow.pick(candidates, spec.window(), windowEnd, Workflow.newRandom());
    if (picked == null) {
      throw ApplicationFailure.newNonRetryableFailure("database " + database + " has no verified backup in the "
          + "window " + (spec.window() == null ? RestoreSpec.PREVIOUS_MONTH : spec.window()) + " ("
          + candidates.size() + " verified in all): nothing to drill", "BACKUP_NOT_FOUND");
    }
    return picked;
  }

  private DrillReport report(DrillRequest request, String drillId, long started, RestoreSpec spec, String failure) {
    long ended = Workflow.currentTimeMillis();
    double seconds = (ended - started) / 1000.0;
    Double rto = spec.rto() == null ? null : (double) Durations.parse(spec.rto()).toSeconds();
    Runbook runbook = request.runbook();
    return new DrillReport(drillId, Workflow.getInfo().getWorkflowId(), runbook.kind(), runbook.name(),
        runbook.database(), request.trigger(), manifest == null ? null : manifest.backupId(),
        manifest == null ? null : manifest.startedAt(), targetDisplay,
        manifest == null ? null : manifest.schemaVersion(), restoredVersion, migratedVersion,
        runbook.migrator() == null ? null : runbook.migrator().type(), smoke, started, ended, seconds, rto,
        rto == null ? null : seconds <= rto, failure == null, failure, log.progress().steps());
  }

  /** Writes the report (the evidence), then tells people when it failed or missed its RTO. */
  private void finish(DrillReport report) {
    try {
      log.run("record-report", () -> drill.recordDrill(report));
    } catch (ActivityFailure e) {
      // shown as the failed step; the workflow's own result still carries the report
    }
    if (!report.success() || Boolean.FALSE.equals(report.rtoMet())) {
      try {
        log.run("notify", () -> drill.notifyDrill(report));
      } catch (ActivityFailure e) {
        // a dead webhook must not hide the drill's outcome
      }
    }
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
