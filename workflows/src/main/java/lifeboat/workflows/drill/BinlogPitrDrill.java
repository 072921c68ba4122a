package lifeboat.workflows.drill;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.pitr.Canaries;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.SmokeCheck;

/**
 * A MariaDB PITR drill's restore, inside PitrDrillWorkflow once its canaries are written and archived: the
 * restore to their moment is a dump and its binlog (plan-binlog-replay, verify-checksum), into a throwaway target
 * as a restore drill makes one (plan-target, check-key, create-target, restore-globals, restore), brought forward
 * (replay-binlog), then checked (check-canaries-and-smoke: the canaries as smoke checks, then the runbook's). The
 * teardown runs whatever happened, once a target was planned.
 */
final class BinlogPitrDrill {
  private final StepLog log;
  private final DrillActivities drill;
  private final RestoreActivities restore = Workflow.newActivityStub(RestoreActivities.class);
  private DrillActivities onHostDrill;
  private ThrowawayTarget planned;
  private BinlogReplayPlan plan;
  private ThrowawayTarget created;

  BinlogPitrDrill(StepLog log, DrillActivities drill) {
    this.log = log;
    this.drill = drill;
  }

  /** The steps up to the checks; returns the checks' results. A failed step throws. */
  List<SmokeResult> restoreAndCheck(String database, RestoreSpec runbookSpec, String drillId, Canaries canaries,
      List<SmokeCheck> smoke) {
    RestoreSpec spec = (runbookSpec == null ? RestoreSpec.DEFAULT : runbookSpec).withDefaults();
    RestoreRequest toMoment = new RestoreRequest(database, RestoreRequest.LATEST, null, null, 1, false, List.of(),
        false, false, false, false, canaries.targetTime());
    plan = log.run("plan-binlog-replay", () -> restore.planBinlogReplay(toMoment));
    BackupManifest manifest = plan.backup();
    log.run("verify-checksum", () -> restore.verifyChecksum(manifest));
    ThrowawayTarget target = log.run("plan-target", () -> drill.planThrowawayTarget(database, spec, drillId));
    RestoreActivities onHostRestore = restore;
    onHostDrill = drill;
    if (target.taskQueue() != null) {
      ActivityOptions host = ActivityOptions.newBuilder().setTaskQueue(target.taskQueue())
          .setScheduleToStartTimeout(RestoreDrillWorkflowImpl.HOST_WAIT).build();
      onHostDrill = Workflow.newActivityStub(DrillActivities.class, host);
      onHostRestore = Workflow.newActivityStub(RestoreActivities.class, host);
    }
    RestoreActivities on = onHostRestore;
    log.run("check-key", () -> on.checkDecryptionKey(manifest));
    planned = target;
    DrillActivities onDrill = onHostDrill;
    created = log.run("create-target", () -> onDrill.createThrowawayTarget(target));
    RestoreRequest into = new RestoreRequest(database, manifest.backupId(), created.url(), created.passwordRef(), 1,
        false, List.of(), false, false, false, !spec.noOwner(), canaries.targetTime());
    if (into.globals()) {
      log.run("restore-globals", () -> on.restoreGlobals(into, manifest));
    }
    log.run(DrillReport.RESTORE_STEP, () -> on.restoreIntoTarget(into, manifest));
    lifeboat.workflows.restore.BinlogReplays.replayOnce(log, on, into, manifest, plan);
    List<SmokeCheck> checks = new ArrayList<>(canaries.asSmokeChecks());
    checks.addAll(smoke);
    return log.run("check-canaries-and-smoke", () -> onDrill.runSmokeChecks(created.dbTarget(), checks));
  }

  /**
   * Removes the target, always and even in a cancelled drill (a detached scope). Returns what is left behind and
   * how to remove it, or null.
   */
  String tearDown() {
    if (planned == null) {
      return null;
    }
    ThrowawayTarget target = planned;
    DrillActivities onDrill = onHostDrill;
    String[] left = {null};
    Workflow.newDetachedCancellationScope(() -> {
      try {
        log.run("teardown-target", () -> onDrill.teardownThrowawayTarget(target));
      } catch (ActivityFailure e) {
        left[0] = "the throwaway " + target.describe() + " is left behind: " + StepLog.describe(e) + " ["
            + RestoreDrillWorkflowImpl.TEARDOWN_FAILURE_TYPE + "]";
      }
    }).run();
    return left[0];
  }

  /** For the report: the dump and binlog restored, and where. */
  List<String> facts() {
    List<String> facts = new ArrayList<>();
    if (plan != null) {
      facts.add(plan.summary());
    }
    if (created != null) {
      facts.add("restored into " + created.kind() + " " + created.name());
    }
    return facts;
  }

  String backupId() {
    return plan == null ? null : plan.backup().backupId();
  }
}
