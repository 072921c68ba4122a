package lifeboat.workflows.failover;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.FailoverActivities;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.activities.TimelineActivities;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.approval.GatedWorkflow;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.ProbeSettings;
import lifeboat.workflows.runbook.Runbook;

/**
 * Orchestration only; each step is one activity of FailoverActivities (docs/failover.md). Every step goes into
 * the timeline with its start, end and what it saw, including who approved and why.
 */
public class FailoverWorkflowImpl extends GatedWorkflow implements FailoverWorkflow {
  static final String PROMOTION = "await-promotion-approval";
  static final String REBUILD = "await-rebuild-approval";
  /**
   * Version 1: a step past the promotion (fence-old-primary, repoint-application, verify-application-path) that
   * fails no longer fails the failover: the standby is already promoted, so running the runbook again stops at
   * check-standby ("not in recovery"). The workflow waits for a person instead, who fixes the cause and retries
   * the step on this same workflow, or abandons it.
   */
  static final String RETRY_AFTER_PROMOTION = "retry-after-promotion";
  /**
   * Version 1: right after the promotion, follow-wal-archive points the database's WAL archive (and its base
   * backups and restore points) at the new primary, so the archive goes on along its new timeline.
   */
  static final String FOLLOW_WAL_ARCHIVE = "follow-wal-archive";
  /** The failure type of a failover abandoned after a failed step past the promotion. */
  static final String ABANDONED = WorkflowError.FAILOVER_ABANDONED.name();

  private final FailoverActivities steps = Workflow.newActivityStub(FailoverActivities.class);
  private final MigrationActivities migration = Workflow.newActivityStub(MigrationActivities.class);
  private final TimelineActivities timelines = Workflow.newActivityStub(TimelineActivities.class);
  private final WalActivities wal = Workflow.newActivityStub(WalActivities.class);
  private final StepLog log = new StepLog();
  private final Timeline timeline = new Timeline();
  private String title = "Failover";
  private long started;
  private long recoveredAt;
  private String outcome = "running";
  /** {@link #RETRY_AFTER_PROMOTION} applies to this run. */
  private boolean askAfterFailure;

  @Override
  public FailoverResult failover(FailoverRequest request) {
    Runbook runbook = request.runbook();
    FailoverSpec spec = runbook.failover();
    started = Workflow.currentTimeMillis();
    askAfterFailure = Workflow.getVersion(RETRY_AFTER_PROMOTION, Workflow.DEFAULT_VERSION, 1) >= 1;
    title = (request.drill() ? "Failover DRILL" : "Failover") + " of " + label(runbook) + " (runbook "
        + runbook.name() + ")";
    if (request.autoApprove() && !request.drill()) {
      throw WorkflowError.FAILOVER_INVALID.failure("--auto-approve is for drills only: a real failover waits "
          + "for a person at the promotion");
    }
    note("start", (request.drill() ? "drill against " : "primary ") + spec.primary().url() + ", standby "
        + spec.standby().url() + (request.autoApprove() ? "; approvals answered automatically (--auto-approve)" : ""));
    try {
      if (!confirmPrimaryDown(spec)) {
        return finish(runbook, FailoverResult.NO_FAILOVER, null);
      }
      step("check-standby", () -> {
        var standby = steps.probeServer(spec.standby(), spec.probeOrDefault().timeout());
        if (!standby.reachable() || !Boolean.TRUE.equals(standby.inRecovery())) {
          throw WorkflowError.FAILOVER_STANDBY_UNUSABLE.failure("the standby " + spec.standby().url() + " cannot be "
              + "promoted: " + (standby.reachable() ? "it is not in recovery" : "unreachable: " + standby.error()));
        }
        return standby;
      }, FailoverWorkflowImpl::standbySummary);
      ApprovalOutcome promotion = decide(request, runbook, PROMOTION, "the primary " + spec.primary().url()
          + " did not answer " + spec.probeOrDefault().attempts() + " probes over " + spec.probeOrDefault().window()
          + ". Promote the standby " + spec.standby().url() + "?", List.of(CHOICE_PROMOTE), CHOICE_REJECT,
          CHOICE_PROMOTE);
      if (!CHOICE_PROMOTE.equals(promotion.choice())) {
        return finish(runbook, FailoverResult.REJECTED, null);
      }
      step("promote-standby", () -> steps.promoteStandby(spec.standby(), spec.promoteTimeoutOrDefault()),
          PromoteResult::message);
      if (Workflow.getVersion(FOLLOW_WAL_ARCHIVE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        followWalArchive(runbook, spec);
      }
      afterPromotion(request, runbook, "fence-old-primary", () -> steps.fenceOldPrimary(spec),
          FenceResult::message);
      afterPromotion(request, runbook, "repoint-application", () -> steps.repoint(spec, spec.standby()),
          r -> r.type() + " " + r.target() + ": " + r.previous() + " -> " + r.current()
              + (r.changed() ? "" : " (already)") + "; " + r.verified());
      afterPromotion(request, runbook, "verify-application-path", () -> steps.verifyThroughApplicationPath(spec),
          v -> "wrote through " + v.url() + ", served by " + v.serverAddress() + " in " + v.totalMillis() + " ms");
      recoveredAt = Workflow.currentTimeMillis();
      checkSchema(runbook, spec);
      rebuild(request, runbook, spec);
      return finish(runbook, FailoverResult.PROMOTED, spec.standby().url());
    } catch (ActivityFailure | ApplicationFailure | CanceledFailure e) {
      outcome = "failed: " + StepLog.describe(e);
      log.failed(e);
      Workflow.newDetachedCancellationScope(() -> write(runbook)).run();
      throw e;
    }
  }

  /**
   * {@code attempts} probes spread over {@code window}, on durable timers: all must fail. One answer is a flap
   * (a pause, a network blip) and ends the workflow without touching anything.
   */
  private boolean confirmPrimaryDown(FailoverSpec spec) {
    ProbeSettings p = spec.probeOrDefault();
    int attempts = Math.max(1, p.attempts());
    Duration interval = attempts == 1 ? Duration.ZERO : Durations.inRunbook("failover.probe.window", p.window())
        .dividedBy(attempts - 1);
    for (int i = 1; i <= attempts; i++) {
      if (i > 1) {
        Workflow.sleep(interval);
      }
      int n = i;
      ProbeResult probe = step("probe-primary-" + i, () -> steps.probeServer(spec.primary(), p.timeout()),
          r -> "probe " + n + "/" + attempts + ": " + (r.reachable() ? "ANSWERED (in recovery: " + r.inRecovery()
              + ", timeline " + r.timelineId() + ")" : "no answer: " + r.error()));
      if (probe.reachable()) {
        note("confirm-primary-down", "primary recovered: no failover (it answered probe " + i + " of " + attempts
            + ")");
        return false;
      }
    }
    note("confirm-primary-down", "primary gone: " + attempts + " of " + attempts + " probes failed over "
        + p.window());
    return true;
  }

  /** A person decides (or, on a drill with --auto-approve, the workflow does, and says so). */
  private ApprovalOutcome decide(FailoverRequest request, Runbook runbook, String step, String question,
      List<String> choices, String rejectChoice, String autoChoice) {
    long asked = Workflow.currentTimeMillis();
    ApprovalOutcome answer = log.run(step, () -> request.autoApprove()
        ? gate.answerAutomatically(step, autoChoice, "auto-approve", "--auto-approve on a drill")
        : gate.await(step, question, choices, rejectChoice, runbook.approval()));
    timeline.add(new TimelineEntry(step, asked, Workflow.currentTimeMillis(), answer.choice(), answered(answer)));
    return answer;
  }

  /**
   * A step after the promotion: when it fails (after its own retries), the promotion cannot be undone and the
   * runbook cannot be started again, so a person decides on this workflow: retry (once the cause is fixed: the
   * steps are idempotent) or abandon (the failover fails, saying so). Each ask is its own step,
   * await-retry-STEP, then await-retry-STEP-2, ..., so every answer stays in the timeline.
   */
  private <R> R afterPromotion(FailoverRequest request, Runbook runbook, String name, Functions.Func<R> body,
      Function<R, String> describe) {
    for (int ask = 1; ; ask++) {
      try {
        return step(name, body, describe);
      } catch (ActivityFailure e) {
        if (!askAfterFailure) {
          throw e;
        }
        String error = StepLog.describe(e);
        // (a drill with --auto-approve answers abandon itself: it must not retry a failing step for ever)
        String standby = runbook.failover().standby().url();
        ApprovalOutcome answer = decide(request, runbook, "await-retry-" + name + (ask == 1 ? "" : "-" + ask),
            name + " failed after the standby " + standby + " was promoted: " + error + ". Fix the cause, then"
                + " retry the step (retry), or end the failover here, failed (abandon)?",
            List.of(CHOICE_RETRY, CHOICE_ABANDON), CHOICE_ABANDON, CHOICE_ABANDON);
        if (!CHOICE_RETRY.equals(answer.choice())) {
          throw WorkflowError.FAILOVER_ABANDONED.failure("failover abandoned after " + name + " failed: " + error
              + " (" + answered(answer) + "); the standby " + standby + " stays promoted");
        }
      }
    }
  }

  private static String answered(ApprovalOutcome answer) {
    return (answer.automatic() ? "answered automatically: " : "answered by " + answer.by() + ": ") + answer.choice()
        + " - \"" + answer.reason() + "\" after " + Timeline.human(answer.waitedMillis());
  }

  /**
   * The WAL archive of the runbook's database follows the new primary. Its failure is in the timeline and the
   * failover goes on: the application comes first, and the archive keeps retrying (its lag alarm raised) until
   * a person points it at the new primary.
   */
  private void followWalArchive(Runbook runbook, FailoverSpec spec) {
    if (runbook.database() == null) {
      note(FOLLOW_WAL_ARCHIVE, "the runbook names no database: no WAL archive to follow");
      return;
    }
    try {
      step(FOLLOW_WAL_ARCHIVE, () -> wal.followNewPrimary(runbook.database(), spec.standby(),
          "failover " + Workflow.getInfo().getWorkflowId()), r -> r);
    } catch (ActivityFailure e) {
      // in the timeline already, as failed, with the error and its hint
    }
  }

  /**
   * The new primary may be behind a schema apply (a migration that ran on the old primary only just before it
   * died): with a migrator, check it and bring it forward; without, record the version.
   */
  private void checkSchema(Runbook runbook, FailoverSpec spec) {
    if (runbook.database() == null) {
      return;
    }
    DbTarget newPrimary = new DbTarget(runbook.database(), spec.standby().url(), spec.standby().password());
    if (runbook.migrator() == null) {
      step("check-schema", () -> String.valueOf(migration.readSchemaVersion(newPrimary)),
          v -> "schema version " + v);
      return;
    }
    SchemaCheck before = step("check-schema", () -> migration.checkSchema(newPrimary, runbook.migrator()),
        c -> (c.clean() ? "current: " : "behind: ") + c.detail());
    if (!before.clean()) {
      step("migrate", () -> migration.migrate(newPrimary, runbook.migrator()),
          m -> m.migrator() + " applied " + m.applied());
      step("check-schema-again", () -> {
        SchemaCheck after = migration.checkSchema(newPrimary, runbook.migrator());
        if (!after.clean()) {
          throw WorkflowError.SCHEMA_NOT_CURRENT.failure("the schema is not current after migrating: "
              + after.detail());
        }
        return after;
      }, c -> "current: " + c.detail());
    }
  }

  /** Destroys the old primary's divergent data, so it is a separate decision. */
  private void rebuild(FailoverRequest request, Runbook runbook, FailoverSpec spec) {
    if (spec.rebuild() == null) {
      note("rebuild-old-primary", "no rebuild section in the runbook: the old primary is left as fenced");
      return;
    }
    ApprovalOutcome answer = decide(request, runbook, REBUILD, "rebuild the old primary " + spec.primary().url()
        + " as a standby of " + spec.standby().url() + "? This destroys whatever it wrote that the new primary"
        + " never received. (Only `--choice rebuild` rebuilds: a plain approve, say a repeated one meant for the"
        + " promotion, skips.)", List.of(CHOICE_SKIP, CHOICE_REBUILD), CHOICE_SKIP, CHOICE_REBUILD);
    if (CHOICE_REBUILD.equals(answer.choice())) {
      step("rebuild-old-primary", () -> steps.rebuildOldPrimary(spec, spec.standby()), RebuildResult::message);
    }
  }

  private FailoverResult finish(Runbook runbook, String result, String newPrimary) {
    outcome = result;
    String location = write(runbook);
    log.finished();
    return new FailoverResult(result, newPrimary, recoveredAt == 0 ? 0 : recoveredAt - started, gate.answered(),
        markdown(), location);
  }

  /** The timeline into the repository; a failure to write it must not hide the failover's own outcome. */
  private String write(Runbook runbook) {
    if (runbook.database() == null) {
      return null;
    }
    try {
      return log.run("write-timeline", () -> timelines.writeTimeline(runbook.database(),
          "failover-" + Workflow.getInfo().getWorkflowId(), markdown()));
    } catch (ActivityFailure e) {
      return null;
    }
  }

  private <R> R step(String name, Functions.Func<R> body, Function<R, String> describe) {
    long start = Workflow.currentTimeMillis();
    try {
      R result = log.run(name, body);
      timeline.add(new TimelineEntry(name, start, Workflow.currentTimeMillis(), "ok", describe.apply(result)));
      return result;
    } catch (RuntimeException e) {
      timeline.add(new TimelineEntry(name, start, Workflow.currentTimeMillis(), "failed", StepLog.describe(e)));
      throw e;
    }
  }

  private void note(String step, String detail) {
    long now = Workflow.currentTimeMillis();
    timeline.add(new TimelineEntry(step, now, 0, "note", detail));
  }

  private String markdown() {
    return Timeline.markdown(title, Workflow.getInfo().getWorkflowId(), started, recoveredAt, outcome,
        timeline.entries());
  }

  private static String label(Runbook runbook) {
    return runbook.database() != null ? runbook.database() : runbook.name();
  }

  @Override
  public String timeline() {
    return markdown();
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }

  /** The standby as the timeline shows it; the figures PostgreSQL leaves null are said in words. */
  private static String standbySummary(ProbeResult s) {
    return "reachable, in recovery, timeline " + s.timelineId() + ", replay lag " + s.replayLagBytes() + " bytes"
        + (s.replayDelaySeconds() == null ? ", no transaction replayed since it started"
            : ", last transaction replayed " + s.replayDelaySeconds() + " s ago")
        + (s.walReceiverStatus() == null ? ", no WAL receiver" : ", WAL receiver " + s.walReceiverStatus());
  }
}
