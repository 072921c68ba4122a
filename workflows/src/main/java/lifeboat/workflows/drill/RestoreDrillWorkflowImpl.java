package lifeboat.workflows.drill;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import lifeboat.workflows.Compensations;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.StepRecord;
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
 * <p>{@link #drill} reads as the drill's whole flow: the steps, how they ended ({@link DrillEnding}: passed,
 * failed or cancelled), the teardown, the report, the result. The teardown is registered before the target is
 * created and runs whatever happens (failure, smoke check failed, cancellation) in a detached scope, so a
 * cancelled drill still removes its database; a teardown that fails fails the drill.
 */
public class RestoreDrillWorkflowImpl implements RestoreDrillWorkflow {
  public static final String FAILURE_TYPE = WorkflowError.DRILL_FAILED.name();
  /** The failure type of a drill whose throwaway target could not be removed: something is left behind. */
  public static final String TEARDOWN_FAILURE_TYPE = WorkflowError.DRILL_TEARDOWN_FAILED.name();

  /** The change id of restoring a MariaDB backup's accounts (restore-globals) into its drill target. */
  static final String MARIADB_ACCOUNTS = "mariadb-drill-accounts";
  /** The change id of the check-key step, added after drills had run without it (Workflow.getVersion). */
  static final String CHECK_KEY_CHANGE = "check-key-before-target";
  /** Version 1: a random pick's window ends at the run's scheduled time (a native Schedule's catch-up run
   * after an outage still drills the month it was meant for), not at the workflow time it started. */
  static final String WINDOW_AT_SCHEDULED_TIME = "window-at-scheduled-time";
  /**
   * Version 1: the runbook's durations are parsed before the first step, so a bad one fails the drill at once
   * (RUNBOOK_INVALID) instead of stalling a workflow task; and a teardown that fails fails the drill (before,
   * the teardown Saga had continueWithError, which swallowed the failure: the drill passed, its target left).
   */
  static final String FAULTS_FAIL_THE_DRILL = "faults-fail-the-drill";
  /**
   * Version 1: the report says only what happened: no RTO verdict (rtoMet null) for a drill that restored
   * nothing, and the smoke-checks step failed when a check failed (before: "RTO met" for a drill that never
   * restored, and smoke-checks "ok" beside failed checks).
   */
  static final String TRUTHFUL_REPORT = "truthful-report";

  /**
   * How long a step on a worker's own throwaway target waits for a worker of that host: past it the host is
   * taken as gone (and its target with it), and the step fails instead of waiting forever.
   */
  static final Duration HOST_WAIT = Duration.ofMinutes(30);

  private final DrillActivities drill = Workflow.newActivityStub(DrillActivities.class);
  private final RestoreActivities restore = Workflow.newActivityStub(RestoreActivities.class);
  private final StepLog log = new StepLog();

  // What the report says; filled in as the steps run.
  private BackupManifest manifest;
  private String targetDisplay;
  private String restoredVersion;
  private String migratedVersion;
  private List<SmokeResult> smoke = List.of();
  /** Without continueWithError: a failed teardown must reach {@link #tearDown}, not be swallowed. */
  private final Saga teardown = new Saga(new Saga.Options.Builder().build());
  /** Set when the teardown is registered: from then on there is something to tear down. */
  private ThrowawayTarget planned;
  /** {@link #TRUTHFUL_REPORT} applies to this run. */
  private boolean truthful;

  /** The stubs for the steps on the throwaway target, made once when it is planned. */
  private record OnTarget(DrillActivities drill, RestoreActivities restore, MigrationActivities migration) {}

  @Override
  public DrillReport drill(DrillRequest request) {
    Runbook runbook = request.runbook();
    RestoreSpec spec = (runbook.restore() == null ? RestoreSpec.DEFAULT : runbook.restore()).withDefaults();
    long started = Workflow.currentTimeMillis();
    String drillId = BackupIds.newId(started, Workflow.randomUUID());
    boolean faultsFail = Workflow.getVersion(FAULTS_FAIL_THE_DRILL, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (faultsFail) {
      checkDurations(spec);
    }
    truthful = Workflow.getVersion(TRUTHFUL_REPORT, Workflow.DEFAULT_VERSION, 1) >= 1;
    DrillEnding ending;
    try {
      ending = DrillEnding.checked(steps(request, spec, drillId));
    } catch (ActivityFailure | ApplicationFailure | CanceledFailure e) {
      ending = DrillEnding.caught(e);
    }
    RuntimeException teardownFailed = tearDown();
    if (faultsFail) {
      ending = ending.tornDown(teardownFailed, planned);
    }
    DrillReport report = report(request, drillId, started, spec, ending.failure());
    Workflow.newDetachedCancellationScope(() -> finish(report)).run();
    return ending.end(log, runbook.database(), report);
  }

  /** Every step up to the smoke checks. Returns the checks' failure, or null; a failed step throws. */
  private String steps(DrillRequest request, RestoreSpec spec, String drillId) {
    Runbook runbook = request.runbook();
    String database = runbook.database();
    String selector = request.backup() != null ? request.backup() : spec.backup();
    manifest = log.run("pick-backup", () -> pick(database, selector, spec));
    log.run("verify-checksum", () -> restore.verifyChecksum(manifest));
    ThrowawayTarget plan = log.run("plan-target", () -> drill.planThrowawayTarget(database, spec, drillId));
    OnTarget on = onTargetHost(plan);
    // On the host that will restore, before anything exists there: a worker without the right key (or its
    // passphrase) fails the drill now, with nothing to tear down. Versioned: older drills never ran it.
    if (Workflow.getVersion(CHECK_KEY_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      log.run("check-key", () -> on.restore().checkDecryptionKey(manifest));
    }
    // Registered before the target exists: a creation that fails half-way is cleaned up too.
    teardown.addCompensation(() -> on.drill().teardownThrowawayTarget(plan));
    planned = plan;
    ThrowawayTarget target = log.run("create-target", () -> on.drill().createThrowawayTarget(plan));
    targetDisplay = target.kind() + " " + target.name();
    RestoreRequest into = new RestoreRequest(database, manifest.backupId(), target.url(), target.passwordRef(),
        spec.jobs(), false, List.of(), false, false, spec.noOwner(), restoresGlobals(manifest, spec));
    if (into.globals()) {
      log.run("restore-globals", () -> on.restore().restoreGlobals(into, manifest));
    }
    log.run(DrillReport.RESTORE_STEP, () -> on.restore().restoreIntoTarget(into, manifest));
    return checks(runbook, on, target.dbTarget());
  }

  /**
   * PostgreSQL's roles own the restored tables; MariaDB's accounts are the DEFINERs of its views, routines and
   * triggers, which fail to run without them. Versioned for MariaDB (drills of it began after PostgreSQL's), and
   * asked only of MariaDB backups, so recorded PostgreSQL drills replay as they ran.
   */
  private static boolean restoresGlobals(BackupManifest manifest, RestoreSpec spec) {
    if (spec.noOwner()) {
      return false;
    }
    return "postgres".equals(manifest.engine()) || ("mariadb".equals(manifest.engine())
        && Workflow.getVersion(MARIADB_ACCOUNTS, Workflow.DEFAULT_VERSION, 1) >= 1);
  }

  /**
   * Runs the teardown registered for a planned target, always, and even when the drill itself is being
   * cancelled (a detached scope). Returns its failure, or null (also when nothing was planned).
   */
  private RuntimeException tearDown() {
    return planned == null ? null : Compensations.runDetached(log, "teardown-target", teardown);
  }

  /** The runbook's durations, before anything runs: a bad one fails the drill with RUNBOOK_INVALID. */
  private static void checkDurations(RestoreSpec spec) {
    rtoSeconds(spec);
    checkWindow(spec);
  }

  private static Double rtoSeconds(RestoreSpec spec) {
    return spec.rto() == null ? null : (double) Durations.inRunbook("restore.rto", spec.rto()).toSeconds();
  }

  private static void checkWindow(RestoreSpec spec) {
    if (spec.window() != null && !RestoreSpec.PREVIOUS_MONTH.equals(spec.window())) {
      Durations.inRunbook("restore.window", spec.window());
    }
  }

  /** Schema version as taken, the migrator, the schema check, the smoke checks. Returns the failure, or null. */
  private String checks(Runbook runbook, OnTarget on, DbTarget target) {
    restoredVersion = log.run("check-schema-version", () -> {
      String found = on.migration().readSchemaVersion(target);
      if (manifest.schemaVersion() != null && !Objects.equals(manifest.schemaVersion(), found)) {
        throw WorkflowError.SCHEMA_MISMATCH.failure("the restored schema version is " + found
            + " but the backup was taken at " + manifest.schemaVersion());
      }
      return found;
    });
    if (runbook.migrator() != null) {
      log.run("migrate", () -> on.migration().migrate(target, runbook.migrator()));
      log.run("check-schema", () -> {
        var check = on.migration().checkSchema(target, runbook.migrator());
        if (!check.clean()) {
          throw WorkflowError.SCHEMA_NOT_CURRENT.failure("the schema is not current after migrating: "
              + check.detail());
        }
        return check;
      });
      migratedVersion = log.run("read-migrated-version", () -> on.migration().readSchemaVersion(target));
    }
    if (runbook.smokeChecks().isEmpty()) {
      return null;
    }
    smoke = log.run("smoke-checks", () -> on.drill().runSmokeChecks(target, runbook.smokeChecks()),
        results -> truthful ? smokeFailure(results) : null);
    return smokeFailure(smoke);
  }

  /** What the failed checks say ("2 smoke checks failed: 'a': …; 'b': …"), or null when all passed. */
  private static String smokeFailure(List<SmokeResult> results) {
    List<SmokeResult> failed = results.stream().filter(s -> !s.passed()).toList();
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
  private OnTarget onTargetHost(ThrowawayTarget plan) {
    if (plan.taskQueue() == null) {
      return new OnTarget(drill, restore, Workflow.newActivityStub(MigrationActivities.class));
    }
    ActivityOptions host = ActivityOptions.newBuilder().setTaskQueue(plan.taskQueue())
        .setScheduleToStartTimeout(HOST_WAIT).build();
    return new OnTarget(Workflow.newActivityStub(DrillActivities.class, host),
        Workflow.newActivityStub(RestoreActivities.class, host),
        Workflow.newActivityStub(MigrationActivities.class, host));
  }

  /** The explicit id, the newest verified backup, or a random one within the window. */
  private BackupManifest pick(String database, String selector, RestoreSpec spec) {
    if (!RestoreSpec.RANDOM.equals(selector)) {
      return restore.resolveBackup(database, selector);
    }
    List<BackupManifest> candidates = drill.listDrillCandidates(database);
    checkWindow(spec); // drills from before FAULTS_FAIL_THE_DRILL did not check it up front
    Instant windowEnd = Workflow.getVersion(WINDOW_AT_SCHEDULED_TIME, Workflow.DEFAULT_VERSION, 1) >= 1
        ? ScheduledTime.orNow() : Instant.ofEpochMilli(Workflow.currentTimeMillis());
    BackupManifest picked = DrillWindow.pick(candidates, spec.window(), windowEnd, Workflow.newRandom());
    if (picked == null) {
      throw WorkflowError.BACKUP_NOT_FOUND.failure("database " + database + " has no verified backup in the "
          + "window " + (spec.window() == null ? RestoreSpec.PREVIOUS_MONTH : spec.window()) + " ("
          + candidates.size() + " verified in all): nothing to drill");
    }
    return picked;
  }

  private DrillReport report(DrillRequest request, String drillId, long started, RestoreSpec spec, String failure) {
    long ended = Workflow.currentTimeMillis();
    double seconds = (ended - started) / 1000.0;
    Double rto = rtoSeconds(spec);
    List<StepRecord> steps = log.progress().steps();
    // A drill that restored nothing measured no recovery: no verdict rather than "met".
    Boolean met = rto == null || (truthful && !DrillReport.restoreRan(steps)) ? null : seconds <= rto;
    Runbook runbook = request.runbook();
    return new DrillReport(drillId, Workflow.getInfo().getWorkflowId(), runbook.kind(), runbook.name(),
        runbook.database(), request.trigger(), manifest == null ? null : manifest.backupId(),
        manifest == null ? null : manifest.startedAt(), targetDisplay,
        manifest == null ? null : manifest.schemaVersion(), restoredVersion, migratedVersion,
        runbook.migrator() == null ? null : runbook.migrator().type(), smoke, started, ended, seconds, rto,
        met, failure == null, failure, steps);
  }

  /** Writes the report (the evidence), then tells people when it failed or missed its RTO. */
  private void finish(DrillReport report) {
    finish(log, drill, report);
  }

  /** Both drill workflows end this way: the report recorded, people told when it failed or missed its RTO. */
  static void finish(StepLog log, DrillActivities drill, DrillReport report) {
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
