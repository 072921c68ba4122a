package lifeboat.workflows.schedule;

import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.runbook.Runbook;

/**
 * The schedule loop. Deterministic: workflow time, a workflow-seeded random for jitter, no I/O.
 *
 * <ul>
 *   <li>Next fire = the first cron time after max(now, last fire), in the runbook's zone, plus jitter.</li>
 *   <li>Overlap: a fire while the previous child runs is recorded as skipped; children never run side by side.</li>
 *   <li>No burst: after an outage the one overdue timer fires once, and the next fire is computed from now.</li>
 *   <li>Paused: scheduled fires are held back; a manual trigger still runs.</li>
 *   <li>Continue-as-new after {@code firesPerRun} fires or a long history, only while no child runs.</li>
 * </ul>
 */
public class ScheduleWorkflowImpl implements ScheduleWorkflow {
  static final int DEFAULT_FIRES_PER_RUN = 50;
  static final int MAX_HISTORY_EVENTS = 4000;

  private Runbook runbook;
  private boolean paused;
  private String pausedBy;
  private String pauseReason;
  private final List<ScheduleRun> recent;
  private long runCount;
  private long lastFireMillis;
  private boolean triggerRequested;
  private final int firesPerRun;
  private String problem;

  private CronSchedule schedule;
  private Random random;
  private boolean changed;
  private int firesThisRun;
  private Promise<?> running;
  private String runningId;
  private Instant plannedDue;
  private Instant plannedFire;

  /** Runs before any signal handler, so a signal that arrives with the start is never overwritten. */
  @WorkflowInit
  public ScheduleWorkflowImpl(ScheduleInput input) {
    runbook = input.runbook();
    paused = input.paused();
    pausedBy = input.pausedBy();
    pauseReason = input.pauseReason();
    recent = new ArrayList<>(input.recentRuns() == null ? List.of() : input.recentRuns());
    runCount = input.runCount();
    lastFireMillis = input.lastFireMillis();
    triggerRequested = input.triggerPending();
    firesPerRun = input.firesPerRun() > 0 ? input.firesPerRun() : DEFAULT_FIRES_PER_RUN;
  }

  @Override
  public void run(ScheduleInput input) {
    random = Workflow.newRandom();
    try {
      schedule = checked(runbook);
    } catch (IllegalArgumentException e) {
      throw WorkflowError.RUNBOOK_INVALID.failure("runbook " + runbook.name() + ": " + e.getMessage());
    }
    while (true) {
      if (readyToContinue()) {
        Workflow.continueAsNew(new ScheduleInput(runbook, paused, pausedBy, pauseReason, List.copyOf(recent),
            runCount, lastFireMillis, triggerRequested, firesPerRun));
      }
      if (!paused && plannedDue == null) {
        plan(now());
      }
      changed = false;
      boolean due;
      if (paused || plannedFire == null) {
        Workflow.await(this::wake);
        due = false;
      } else {
        Duration wait = Duration.between(now(), plannedFire);
        due = !Workflow.await(wait.isNegative() ? Duration.ZERO : wait, this::wake);
      }
      if (triggerRequested) {
        triggerRequested = false;
        Instant now = now();
        fire(now, "manual", "-manual" + (runCount + 1));
      }
      if (due && !paused && plannedDue != null) {
        fire(plannedDue, "schedule", "");
        lastFireMillis = plannedDue.toEpochMilli();
        plannedDue = null;
        plannedFire = null;
      }
    }
  }

  private boolean wake() {
    return triggerRequested || changed || readyToContinue();
  }

  private boolean childRunning() {
    return running != null && !running.isCompleted();
  }

  private boolean readyToContinue() {
    boolean long_ = firesThisRun >= firesPerRun || Workflow.getInfo().getHistoryLength() > MAX_HISTORY_EVENTS;
    return long_ && !childRunning();
  }

  /** The next cron time after max(now, last fire): fire times missed during an outage are not made up. */
  private void plan(Instant now) {
    Instant base = now.isAfter(Instant.ofEpochMilli(lastFireMillis)) ? now : Instant.ofEpochMilli(lastFireMillis);
    plannedDue = schedule.nextAfter(base);
    long jitterMillis = schedule.jitter().toMillis();
    plannedFire = plannedDue == null ? null
        : plannedDue.plusMillis(jitterMillis <= 0 ? 0 : (long) (random.nextDouble() * jitterMillis));
  }

  private void fire(Instant fireTime, String trigger, String idSuffix) {
    runCount++;
    firesThisRun++;
    String id = RunbookKinds.childWorkflowId(runbook, fireTime, idSuffix);
    if (childRunning()) {
      record(new ScheduleRun(fireTime.toString(), id, trigger, ScheduleRun.SKIPPED, 0, 0,
          "previous run " + runningId + " still running"));
      return;
    }
    long started = Workflow.currentTimeMillis();
    record(new ScheduleRun(fireTime.toString(), id, trigger, ScheduleRun.RUNNING, started, 0, null));
    runningId = id;
    running = RunbookKinds.startChild(runbook, id);
    running.handle((result, failure) -> {
      ended(id, failure == null ? ScheduleRun.OK : ScheduleRun.FAILED, failure == null ? null : describe(failure));
      return null;
    });
  }

  private void record(ScheduleRun run) {
    recent.add(run);
    while (recent.size() > RECENT_RUNS) {
      recent.remove(0);
    }
  }

  private void ended(String workflowId, String outcome, String detail) {
    for (int i = recent.size() - 1; i >= 0; i--) {
      ScheduleRun run = recent.get(i);
      if (run.workflowId().equals(workflowId) && run.outcome().equals(ScheduleRun.RUNNING)) {
        recent.set(i, run.ended(outcome, Workflow.currentTimeMillis(), detail));
        return;
      }
    }
  }

  private static String describe(RuntimeException failure) {
    Throwable t = failure instanceof ChildWorkflowFailure && failure.getCause() != null ? failure.getCause() : failure;
    return StepLog.describe(t);
  }

  private static CronSchedule checked(Runbook runbook) {
    if (!RunbookKinds.KNOWN.contains(runbook.kind())) {
      throw new IllegalArgumentException("unknown kind '" + runbook.kind() + "'");
    }
    return CronSchedule.of(runbook.schedule());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public void pause(String by, String reason) {
    paused = true;
    pausedBy = by;
    pauseReason = reason;
    replan();
  }

  @Override
  public void resume() {
    paused = false;
    pausedBy = null;
    pauseReason = null;
    replan();
  }

  /** Forgets the planned fire time and wakes the loop, which plans again from now. */
  private void replan() {
    plannedDue = null;
    plannedFire = null;
    changed = true;
  }

  @Override
  public void trigger() {
    triggerRequested = true;
  }

  @Override
  public void update(Runbook changedRunbook) {
    if (changedRunbook.equals(runbook)) {
      return;
    }
    try {
      CronSchedule next = checked(changedRunbook);
      runbook = changedRunbook;
      schedule = next;
      problem = null;
      replan();
    } catch (IllegalArgumentException e) {
      problem = "update refused: " + e.getMessage();
    }
  }

  @Override
  public ScheduleDescription describe() {
    return new ScheduleDescription(runbook, paused, pausedBy, pauseReason,
        paused || plannedFire == null ? null : plannedFire.toString(), childRunning() ? runningId : null, runCount,
        List.copyOf(recent), problem);
  }
}
