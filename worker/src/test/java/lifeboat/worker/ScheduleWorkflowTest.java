package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lifeboat.worker.RecordingBackupWorkflow.Run;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.ScheduleSpec;
import lifeboat.workflows.schedule.ScheduleDescription;
import lifeboat.workflows.schedule.ScheduleInput;
import lifeboat.workflows.schedule.ScheduleRun;
import lifeboat.workflows.schedule.ScheduleWorkflow;
import lifeboat.workflows.schedule.ScheduleWorkflowImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ScheduleWorkflow's scheduling logic with time skipping: the real ScheduleWorkflowImpl, with the child
 * backup replaced by {@link RecordingBackupWorkflow} so a month of nights takes seconds and every start time
 * can be checked.
 */
@Timeout(120)
class ScheduleWorkflowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private TestWorkflowEnvironment env;
  private WorkerFactory worker;
  private WorkflowClient client;

  private void start(Instant at, Duration childTakes) {
    RecordingBackupWorkflow.reset(childTakes);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(at).build());
    env.start();
    client = env.getWorkflowClient();
    worker = startWorker();
  }

  private WorkerFactory startWorker() {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker w = factory.newWorker(TaskQueues.LIFEBOAT);
    w.registerWorkflowImplementationTypes(ActivityPolicies.workflowOptions(), ScheduleWorkflowImpl.class,
        RecordingBackupWorkflow.class);
    factory.start();
    return factory;
  }

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.shutdownNow();
    }
    env.close();
  }

  static Runbook runbook(String database, String cron, String zone) {
    return Runbook.of("backup", database + "-nightly", database, new ScheduleSpec(cron, zone, null), null, null);
  }

  private WorkflowExecution schedule(Runbook runbook, int firesPerRun) {
    ScheduleWorkflow wf = client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("schedule-" + runbook.name()).build());
    return WorkflowClient.start(wf::run, ScheduleInput.start(runbook).withFiresPerRun(firesPerRun));
  }

  private ScheduleWorkflow stub(String name) {
    return client.newWorkflowStub(ScheduleWorkflow.class, "schedule-" + name);
  }

  private static List<String> outcomes(ScheduleDescription d) {
    return d.recentRuns().stream().map(ScheduleRun::outcome).toList();
  }

  @Test
  void aMonthOfNightlyRunsAtTheRightWallTimeAcrossTheDstChange() {
    start(Instant.parse("2026-10-10T12:00:00Z"), Duration.ofMinutes(20));
    schedule(runbook("notes", "0 3 * * *", "Europe/Berlin"), 0);

    env.sleep(Duration.ofDays(30));

    List<Run> runs = RecordingBackupWorkflow.runs();
    assertEquals(30, runs.size(), runs.toString());
    for (Run run : runs) {
      assertEquals(LocalTime.of(3, 0), run.started().atZone(BERLIN).toLocalTime(), run.toString());
    }
    // Summer time (UTC+2) until 25 October, winter time (UTC+1) after: the UTC hour moves, the wall time not.
    assertEquals("2026-10-11T01:00:00Z", runs.get(0).started().toString());
    assertEquals("2026-10-25T02:00:00Z", runs.get(14).started().toString());
    assertEquals("backup-notes-20261011T010000Z", runs.get(0).workflowId());
    ScheduleDescription d = stub("notes-nightly").describe();
    assertEquals(30, d.runCount());
    assertEquals(ScheduleWorkflow.RECENT_RUNS, d.recentRuns().size());
    assertTrue(outcomes(d).stream().allMatch(ScheduleRun.OK::equals), outcomes(d).toString());
    assertEquals(Duration.ofMinutes(20).toSeconds(), d.lastRun().durationMillis() / 1000);
    assertEquals("2026-11-10T02:00:00Z", d.nextFireTime());
  }

  @Test
  void aRunStillGoingAtTheNextFireIsSkippedNeverRunAlongside() {
    start(Instant.parse("2026-03-01T00:30:00Z"), Duration.ofMinutes(90));
    schedule(runbook("app", "0 * * * *", null), 0);

    env.sleep(Duration.ofHours(4).plusMinutes(15));

    ScheduleDescription d = stub("app-nightly").describe();
    assertEquals(List.of("ok", "skipped", "ok", "skipped"), outcomes(d));
    assertTrue(d.recentRuns().get(1).detail().contains("backup-app-20260301T010000Z still running"),
        d.recentRuns().get(1).toString());
    List<Run> runs = RecordingBackupWorkflow.runs();
    assertEquals(List.of("backup-app-20260301T010000Z", "backup-app-20260301T030000Z"),
        runs.stream().map(Run::workflowId).toList());
    for (int i = 1; i < runs.size(); i++) {
      assertFalse(runs.get(i).started().isBefore(runs.get(i - 1).ended()), "children overlapped: " + runs);
    }
  }

  @Test
  void pausedSchedulesDoNotFireButATriggerRunsAndResumeGoesOn() {
    start(Instant.parse("2026-03-01T00:30:00Z"), Duration.ofMinutes(1));
    schedule(runbook("app", "0 * * * *", null), 0);
    ScheduleWorkflow wf = stub("app-nightly");
    env.sleep(Duration.ofHours(2));
    assertEquals(2, RecordingBackupWorkflow.RUNS.size());

    wf.pause("alice", "migrating the database");
    env.sleep(Duration.ofHours(5));
    ScheduleDescription paused = wf.describe();
    assertTrue(paused.paused());
    assertEquals("alice", paused.pausedBy());
    assertEquals("migrating the database", paused.pauseReason());
    assertNull(paused.nextFireTime());
    assertEquals(2, RecordingBackupWorkflow.RUNS.size(), "no scheduled fire while paused");

    wf.trigger();
    env.sleep(Duration.ofMinutes(5));
    ScheduleRun manual = wf.describe().lastRun();
    assertEquals("manual", manual.trigger());
    assertEquals("ok", manual.outcome());
    assertEquals(3, RecordingBackupWorkflow.RUNS.size(), "a trigger runs even while paused");
    assertEquals(Instant.parse("2026-03-01T07:30:00Z"), RecordingBackupWorkflow.runs().get(2).started());

    wf.resume();
    env.sleep(Duration.ofMinutes(1));
    assertEquals("2026-03-01T08:00:00Z", wf.describe().nextFireTime(), "missed fires are not made up");
    env.sleep(Duration.ofHours(2));
    assertEquals(List.of("backup-app-20260301T010000Z", "backup-app-20260301T020000Z",
            "backup-app-20260301T073000Z-manual3", "backup-app-20260301T080000Z", "backup-app-20260301T090000Z"),
        RecordingBackupWorkflow.runs().stream().map(Run::workflowId).toList());
  }

  @Test
  void aWorkerOutageOverSeveralFireTimesGivesOneCatchUpRunNotABurst() {
    start(Instant.parse("2026-01-01T12:00:00Z"), Duration.ofMinutes(10));
    schedule(runbook("notes", "0 2 * * *", "UTC"), 0);
    env.sleep(Duration.ofHours(24));
    assertEquals(1, RecordingBackupWorkflow.RUNS.size());
    // Quiet first: a workflow task still in flight (on a loaded machine the one recording the first run can
    // be) holds the test server's clock too, and the manual release below must release only the outage's.
    // The first run's own tasks too: on a loaded machine its completion can still be in flight, and then the
    // schedule's task that records it follows; so the run must be closed before the schedule is checked.
    RecordingBackupWorkflow.RUNS.keySet().forEach(this::awaitClosed);
    awaitNoPendingWorkflowTask("schedule-notes-nightly");

    worker.suspendPolling();
    // The test server holds its clock while a workflow task waits for a worker (as the one of the 3 January
    // timer will): release that hold for the outage, and take it back as the worker returns.
    TestServiceStubs testService = TestServiceStubs.newServiceStubs(
        TestServiceStubsOptions.newBuilder(env.getWorkflowServiceStubs().getOptions()).validateAndBuildWithDefaults());
    testService.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
    env.sleep(Duration.ofDays(2).plusHours(10)); // 3, 4 and 5 January 02:00 pass with no worker polling
    assertEquals(1, RecordingBackupWorkflow.RUNS.size());
    assertEquals(Instant.parse("2026-01-05T12:00:00Z"), Instant.ofEpochMilli(env.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS));

    testService.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
    worker.resumePolling();
    env.sleep(Duration.ofHours(1));
    List<Run> runs = RecordingBackupWorkflow.runs();
    assertEquals(2, runs.size(), "exactly one catch-up run: " + runs);
    assertEquals("backup-notes-20260103T020000Z", runs.get(1).workflowId(), "named after the first missed time");
    assertEquals(Instant.parse("2026-01-05T12:00:00Z"), runs.get(1).started(), "run as the worker came back");
    assertEquals("2026-01-06T02:00:00Z", stub("notes-nightly").describe().nextFireTime());

    env.sleep(Duration.ofDays(1));
    assertEquals(3, RecordingBackupWorkflow.RUNS.size());
  }

  @Test
  void continueAsNewKeepsThePauseAndTheRecentRuns() {
    start(Instant.parse("2026-03-01T00:30:00Z"), Duration.ofMinutes(1));
    WorkflowExecution first = schedule(runbook("app", "0 * * * *", null), 3);
    ScheduleWorkflow wf = stub("app-nightly");
    env.sleep(Duration.ofHours(2));
    wf.pause("bob", "maintenance");
    wf.trigger();
    env.sleep(Duration.ofMinutes(10));

    var events = client.fetchHistory(first.getWorkflowId(), first.getRunId()).getHistory().getEventsList();
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, events.get(events.size() - 1).getEventType(),
        "the first run continued as new after 3 fires");
    ScheduleDescription d = wf.describe();
    assertTrue(d.paused());
    assertEquals("bob", d.pausedBy());
    assertEquals(3, d.runCount());
    assertEquals(List.of("ok", "ok", "ok"), outcomes(d));

    env.sleep(Duration.ofHours(3));
    assertEquals(3, RecordingBackupWorkflow.RUNS.size(), "still paused after continue-as-new");
    wf.resume();
    env.sleep(Duration.ofHours(1));
    assertEquals(4, RecordingBackupWorkflow.RUNS.size());
    assertEquals(4, wf.describe().runCount());
  }

  @Test
  void anUpdateChangesTheCronWithoutRestartingAndABadOneIsRefused() {
    start(Instant.parse("2026-03-01T12:00:00Z"), Duration.ofMinutes(1));
    WorkflowExecution started = schedule(runbook("notes", "0 2 * * *", null), 0);
    ScheduleWorkflow wf = stub("notes-nightly");
    env.sleep(Duration.ofMinutes(1));
    assertEquals("2026-03-02T02:00:00Z", wf.describe().nextFireTime());

    wf.update(runbook("notes", "30 5 * * *", "Europe/Berlin"));
    env.sleep(Duration.ofMinutes(1));
    assertEquals("2026-03-02T04:30:00Z", wf.describe().nextFireTime());

    wf.update(runbook("notes", "61 5 * * *", null));
    env.sleep(Duration.ofMinutes(1));
    ScheduleDescription d = wf.describe();
    assertEquals("2026-03-02T04:30:00Z", d.nextFireTime(), "a bad update leaves the schedule as it was");
    assertNotNull(d.problem());
    assertTrue(d.problem().contains("61 5 * * *"), d.problem());

    env.sleep(Duration.ofDays(1));
    assertEquals(List.of(Instant.parse("2026-03-02T04:30:00Z")),
        RecordingBackupWorkflow.runs().stream().map(Run::started).toList());
    String runNow = env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(started.getWorkflowId())).build())
        .getWorkflowExecutionInfo().getExecution().getRunId();
    assertEquals(started.getRunId(), runNow, "same run: the update did not restart the schedule");
  }

  @Test
  void jitterDelaysEachFireWithinItsBoundAndAFailedChildIsRecorded() {
    start(Instant.parse("2026-03-01T00:30:00Z"), Duration.ofMinutes(1));
    schedule(Runbook.of("backup", "broken-hourly", "broken", new ScheduleSpec("0 * * * *", "UTC", "10m"), null,
        null), 0);
    env.sleep(Duration.ofHours(6));
    List<Run> runs = RecordingBackupWorkflow.runs();
    assertEquals(6, runs.size());
    Set<Long> delays = new HashSet<>();
    for (Run run : runs) {
      long delay = Duration.between(run.started().atZone(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0)
          .toInstant(), run.started()).toMillis();
      assertTrue(delay >= 0 && delay <= Duration.ofMinutes(10).toMillis(), run.toString());
      delays.add(delay);
    }
    assertTrue(delays.size() > 1, "jitter varies: " + delays);
    ScheduleRun last = stub("broken-hourly").describe().lastRun();
    assertEquals("failed", last.outcome());
    assertEquals("the database is broken", last.detail());
  }

  /** Waits (real time, bounded) until the workflow has no workflow task scheduled or running. */
  private void awaitClosed(String workflowId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(env.getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
        .getWorkflowExecutionInfo().getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus
            .WORKFLOW_EXECUTION_STATUS_RUNNING) {
      assertTrue(System.nanoTime() < deadline, workflowId + " still running after 30 s");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void awaitNoPendingWorkflowTask(String workflowId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(env.getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
        .hasPendingWorkflowTask()) {
      assertTrue(System.nanoTime() < deadline, "workflow task of " + workflowId + " still pending after 30 s");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
