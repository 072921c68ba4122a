package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.approval.ApprovalDecision;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.approval.PendingApproval;
import lifeboat.workflows.failover.FailoverRequest;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.failover.FailoverWorkflow;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.ProbeSettings;
import lifeboat.workflows.runbook.RebuildSpec;
import lifeboat.workflows.runbook.RepointSpec;
import lifeboat.workflows.runbook.Runbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FailoverWorkflow with the real activities against real processes: a primary, a streaming standby
 * (pg_basebackup -R) and Debian's PgBouncer in front. Real time (no time skipping): the probes' window is
 * what makes a flap a flap.
 */
class FailoverWorkflowTest {
  @TempDir Path dir;
  private PgCluster primary;
  private PgCluster standby;
  private PgBouncer bouncer;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() throws Exception {
    primary = PgCluster.start();
    primary.createDatabase("app");
    primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY, what text);"
        + " INSERT INTO items VALUES (1, 'before the failover')");
    standby = PgCluster.startStandbyOf(primary);
    bouncer = PgBouncer.startFor(primary);
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("pg-password"), primary.password());
    Files.writeString(dir.resolve("pgb-admin"), bouncer.adminPassword());
    home.database("app", "{ engine: postgres, url: \"" + primary.url("app") + "\", password: file:pg-password,"
        + " repository: local, schemaVersionQuery: \"select count(*) from items\" }");
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    for (AutoCloseable c : new AutoCloseable[] {bouncer, standby, primary}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one still closes
      }
    }
  }

  @Test
  void aDeadPrimaryIsReplacedAfterOneApprovalAndTheApplicationWritesThroughPgBouncer() throws Exception {
    primary.killPostmaster();
    // Started as the CLI starts it where the namespace has Lifeboat's search attributes.
    for (String name : lifeboat.workflows.SearchAttributes.TYPES.keySet()) {
      env.registerSearchAttribute(name, io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    WorkflowStub wf = start("failover-1", new ProbeSettings(3, "2s", "2s"),
        lifeboat.workflows.SearchAttributes.atStart("failover", "app"));
    WorkflowUpdateException early = assertThrows(WorkflowUpdateException.class, () -> wf.update("approve",
        ApprovalOutcome.class, new ApprovalDecision(null, "alice", "too early")));
    assertTrue(early.getCause().getMessage().contains("nothing is waiting for approval"), early.getMessage());

    PendingApproval pending = awaitPending(wf);
    assertEquals("await-promotion-approval", pending.step());
    assertTrue(pending.question().contains("did not answer 3 probes"), pending.question());
    assertEquals("approval", waitingFor(wf), "the search attribute says a person is asked");
    WorkflowUpdateException stranger = assertThrows(WorkflowUpdateException.class, () -> wf.update("approve",
        ApprovalOutcome.class, new ApprovalDecision(null, "mallory", "let me")));
    assertTrue(stranger.getCause().getMessage().contains("'mallory' may not answer await-promotion-approval:"
        + " approvers are alice, bob"), stranger.getCause().getMessage());
    assertEquals("t", standby.exec("app", "select pg_is_in_recovery()"), "nothing promoted before approval");

    ApprovalOutcome first = wf.update("approve", ApprovalOutcome.class,
        new ApprovalDecision(null, "alice", "db1 is gone, cloud console confirms"));
    ApprovalOutcome second = wf.update("approve", ApprovalOutcome.class,
        new ApprovalDecision(null, "bob", "+1"));
    assertEquals(first, second, "the second approval gets the first one's outcome");
    FailoverResult result = wf.getResult(FailoverResult.class);

    assertEquals(FailoverResult.PROMOTED, result.outcome());
    assertEquals("", waitingFor(wf), "answered: it waits for nobody");
    assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"));
    assertEquals(1, scheduled("failover-1", "PromoteStandby"), "one promotion");
    writeThroughPgBouncer("after the failover");
    assertEquals("2", standby.exec("app", "select count(*) from items"), "the write went to the new primary");
    String timeline = result.timelineMarkdown();
    for (String step : List.of("probe-primary-1", "probe-primary-2", "probe-primary-3", "confirm-primary-down",
        "check-standby", "await-promotion-approval", "promote-standby", "fence-old-primary", "repoint-application",
        "verify-application-path", "check-schema")) {
      assertTrue(timeline.contains("| " + step + " |"), step + " in\n" + timeline);
    }
    assertTrue(timeline.contains("answered by alice: promote - \"db1 is gone, cloud console confirms\""), timeline);
    assertTrue(timeline.contains("time to recovery"), timeline);
    assertTrue(Files.readString(Path.of(result.timelineLocation())).equals(timeline), "written to the repository");
    assertTrue(result.recoveryMillis() > 0);
    String history = Histories.readable(client, "failover-1");
    assertTrue(history.contains("file:pg-password"), "the history carries the reference");
    assertFalse(history.contains(primary.password()), "never the database password");
    assertFalse(history.contains(bouncer.adminPassword()), "never PgBouncer's admin password");
    Histories.record(client, "failover-1", "failover-2");
  }

  /**
   * The primary dies and PgBouncer is down: failover {@code id} is approved, promotes, and its repoint fails.
   * Returns the wait that follows.
   */
  private PendingApproval promotedWithPgBouncerDown(String id) throws InterruptedException {
    primary.killPostmaster();
    bouncer.stop();
    WorkflowStub wf = start(id, new ProbeSettings(2, "1s", "2s"));
    awaitPending(wf, "await-promotion-approval");
    wf.update("approve", ApprovalOutcome.class, new ApprovalDecision(null, "alice", "db1 is gone"));
    return awaitPending(wf, "await-retry-repoint-application");
  }

  /** A client's write through PgBouncer, as the application makes it: row 2 of items. */
  private void writeThroughPgBouncer(String what) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", primary.password());
    try (Connection c = DriverManager.getConnection(bouncer.jdbc(), props)) {
      c.createStatement().execute("INSERT INTO items VALUES (2, '" + what + "')");
    }
  }

  private static String waitingFor(WorkflowStub wf) {
    return wf.describe().getTypedSearchAttributes().get(lifeboat.workflows.SearchAttributes.WAITING_FOR_KEY);
  }

  /**
   * A drill with --auto-approve: both approvals answered by the workflow and recorded as automatic, the old
   * primary rebuilt as a standby of the new one (pg_basebackup: the test clusters lack wal_log_hints).
   */
  @Test
  void aDrillWithAutoApproveFailsOverAndRebuildsTheOldPrimary() throws Exception {
    primary.killPostmaster();
    Path socketDir = primary.dataDir().getParent().resolve("sock");
    FailoverSpec spec = spec(new ProbeSettings(2, "1s", "2s"), new RebuildSpec(RebuildSpec.AUTO,
        primary.dataDir().toString(), "postgres", null, "-k " + socketDir + " -c listen_addresses=127.0.0.1", null,
        null));
    FailoverResult result = client.newWorkflowStub(FailoverWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("failover-drill").build())
        .failover(new FailoverRequest(runbook(spec), true, true));
    assertEquals(FailoverResult.PROMOTED, result.outcome(), result.timelineMarkdown());
    assertEquals(2, result.decisions().size());
    assertTrue(result.decisions().stream().allMatch(d -> d.automatic()), result.decisions().toString());
    assertEquals(List.of("promote", "rebuild"), result.decisions().stream().map(d -> d.choice()).toList());
    assertTrue(result.timelineMarkdown().startsWith("# Failover DRILL of app"), result.timelineMarkdown());
    assertTrue(result.timelineMarkdown().contains("| rebuild-old-primary | "), result.timelineMarkdown());
    assertEquals("t", primary.exec("app", "select pg_is_in_recovery()"), "the old primary is a standby now");
    Histories.record(client, "failover-drill", "failover-3");
  }

  /**
   * PgBouncer is down when the failover repoints: after the promotion the step fails (its retries spent), and
   * instead of failing the failover waits for a person on the same workflow. PgBouncer back, a retry finishes
   * it, with one promotion, and the application writes to the new primary; the timeline says all of it.
   */
  @Test
  void aRepointThatFailsAfterThePromotionWaitsAndARetryFinishesTheFailoverWithOnePromotion() throws Exception {
    PendingApproval retry = promotedWithPgBouncerDown("failover-retry");
    WorkflowStub wf = client.newUntypedWorkflowStub("failover-retry");
    assertTrue(retry.question().startsWith("repoint-application failed after the standby " + standby.url("app")
        + " was promoted: PgBouncer admin console"), retry.question());
    assertTrue(retry.question().contains("[FAILOVER_REPOINT_FAILED] HINT: check that PgBouncer runs"),
        retry.question());
    assertEquals(List.of("retry", "abandon"), retry.choices());
    assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"), "promoted before the repoint");
    assertTrue(wf.query("timeline", String.class).contains("| repoint-application | "), "the failed step shows");
    WorkflowUpdateException early = assertThrows(WorkflowUpdateException.class, () -> wf.update("approve",
        ApprovalOutcome.class, new ApprovalDecision("rebuild", "bob", "wrong choice")));
    assertTrue(early.getCause().getMessage().contains("'rebuild' is not a choice at await-retry-repoint-application:"
        + " choose one of retry, abandon"), early.getCause().getMessage());

    bouncer.restart(); // the cause, fixed
    ApprovalOutcome answer = wf.update("approve", ApprovalOutcome.class,
        new ApprovalDecision("retry", "bob", "pgbouncer restarted"));
    assertEquals("retry", answer.choice());
    FailoverResult result = wf.getResult(FailoverResult.class);

    assertEquals(FailoverResult.PROMOTED, result.outcome(), result.timelineMarkdown());
    assertEquals(1, scheduled("failover-retry", "PromoteStandby"), "exactly one promotion");
    writeThroughPgBouncer("after the retried repoint");
    assertEquals("2", standby.exec("app", "select count(*) from items"), "the write went to the new primary");
    String timeline = result.timelineMarkdown();
    assertTrue(timeline.contains("answered by bob: retry - \"pgbouncer restarted\""), timeline);
    assertTrue(timeline.indexOf("| repoint-application | ") < timeline.indexOf("| await-retry-repoint-application |")
        && timeline.lastIndexOf("| repoint-application | ") > timeline.indexOf("| await-retry-repoint-application |"),
        "failed, asked, retried, in that order:\n" + timeline);
    assertTrue(timeline.contains("| verify-application-path | "), timeline);
    Histories.record(client, "failover-retry", "failover-4");
  }

  /** The same failure, abandoned: the failover ends failed, saying after which step, by whom, and why. */
  @Test
  void anAbandonedStepAfterThePromotionEndsTheFailoverFailedWithItsRecord() throws Exception {
    promotedWithPgBouncerDown("failover-abandon");
    WorkflowStub wf = client.newUntypedWorkflowStub("failover-abandon");
    wf.update("reject", ApprovalOutcome.class, new ApprovalDecision(null, "bob", "repointing by hand"));

    io.temporal.client.WorkflowFailedException e = assertThrows(io.temporal.client.WorkflowFailedException.class,
        () -> wf.getResult(FailoverResult.class));
    io.temporal.failure.ApplicationFailure failure = (io.temporal.failure.ApplicationFailure) e.getCause();
    assertEquals("FAILOVER_ABANDONED", failure.getType());
    assertTrue(failure.getOriginalMessage().startsWith("failover abandoned after repoint-application failed: "),
        failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("answered by bob: abandon - \"repointing by hand\"")
        && failure.getOriginalMessage().contains("stays promoted [FAILOVER_ABANDONED] HINT: "),
        failure.getOriginalMessage());
    String timeline = wf.query("timeline", String.class);
    assertTrue(timeline.contains("| await-retry-repoint-application | ") && timeline.contains("failed: failover"
        + " abandoned after repoint-application failed"), timeline);
    assertEquals(1, scheduled("failover-abandon", "Repoint"), "not retried");
  }

  @Test
  void aRejectionPromotesNothingAndTheTimelineSaysWhoRejected() throws Exception {
    primary.killPostmaster();
    WorkflowStub wf = start("failover-reject", new ProbeSettings(2, "1s", "2s"));
    awaitPending(wf);
    wf.update("reject", ApprovalOutcome.class, new ApprovalDecision(null, "bob", "network team says it is back"));
    FailoverResult result = wf.getResult(FailoverResult.class);
    assertEquals(FailoverResult.REJECTED, result.outcome());
    assertEquals("t", standby.exec("app", "select pg_is_in_recovery()"));
    assertEquals(0, scheduled("failover-reject", "PromoteStandby"));
    assertTrue(result.timelineMarkdown().contains("answered by bob: reject - \"network team says it is back\""),
        result.timelineMarkdown());
  }

  @Test
  void aPrimaryPausedForLessThanTheWindowIsAFlapNotAFailover() throws Exception {
    long pid = primary.postmasterPid();
    signal("STOP", pid);
    WorkflowStub wf;
    try {
      wf = start("failover-flap", new ProbeSettings(3, "8s", "2s"));
      // Resumed once the first probe has found it silent: the second comes 4 s later, inside the window.
      long deadline = System.currentTimeMillis() + 60_000;
      while (!wf.query("timeline", String.class).contains("probe 1/3: no answer")) {
        assertTrue(System.currentTimeMillis() < deadline, wf.query("timeline", String.class));
        Thread.sleep(100);
      }
    } finally {
      signal("CONT", pid);
    }
    FailoverResult result = wf.getResult(FailoverResult.class);
    assertEquals(FailoverResult.NO_FAILOVER, result.outcome(), result.timelineMarkdown());
    assertTrue(result.timelineMarkdown().contains("primary recovered: no failover"), result.timelineMarkdown());
    assertTrue(result.timelineMarkdown().contains("probe 1/3: no answer"), result.timelineMarkdown());
    assertEquals("t", standby.exec("app", "select pg_is_in_recovery()"), "no promotion");
    assertEquals(0, scheduled("failover-flap", "PromoteStandby"));
  }

  private WorkflowStub start(String id, ProbeSettings probe) {
    return start(id, probe, io.temporal.common.SearchAttributes.EMPTY);
  }

  private WorkflowStub start(String id, ProbeSettings probe, io.temporal.common.SearchAttributes attributes) {
    FailoverWorkflow wf = client.newWorkflowStub(FailoverWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).setTypedSearchAttributes(attributes).build());
    WorkflowClient.start(wf::failover, new FailoverRequest(runbook(spec(probe, null)), false, false));
    return client.newUntypedWorkflowStub(id);
  }

  private FailoverSpec spec(ProbeSettings probe, RebuildSpec rebuild) {
    return new FailoverSpec(new FailoverEndpoint(primary.url("app"), "file:pg-password"),
        new FailoverEndpoint(standby.url("app"), "file:pg-password"), probe,
        RepointSpec.pgbouncer(bouncer.iniFile().toString(), "app",
            new FailoverEndpoint(bouncer.adminUrl(), "file:pgb-admin")),
        null, null, rebuild, "30s");
  }

  private static Runbook runbook(FailoverSpec spec) {
    return new Runbook(Runbook.KIND_FAILOVER, "app-failover", "app", null, null, null, null, null, null,
        new ApprovalPolicy(List.of("alice", "bob"), "15m", "30m", "wait"), spec);
  }

  private long scheduled(String workflowId, String activityType) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
        .count();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, p.waitFor());
  }

  private static PendingApproval awaitPending(WorkflowStub stub) throws InterruptedException {
    return awaitPending(stub, null);
  }

  /** The wait at {@code step} (any step when null), once the workflow has reached it. */
  private static PendingApproval awaitPending(WorkflowStub stub, String step) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      PendingApproval p = stub.query("pendingApproval", PendingApproval.class);
      if (p != null && (step == null || step.equals(p.step()))) {
        return p;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the failover never asked for approval at " + step + ": "
        + stub.query("timeline", String.class));
  }
}
