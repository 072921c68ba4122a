package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.failover.FailoverRequest;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.failover.FailoverWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.pitr.PointInTimeRestoreWorkflow;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.ProbeSettings;
import lifeboat.workflows.runbook.RepointSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lifeboat failover, then a restore to a moment on the new timeline. The archive is behind the standby when
 * the primary dies (it was stopped, and a segment went to the standby only), so after follow-wal-archive it must
 * take the rest of timeline 1 from the new primary up to the switch point, then timeline 2: the restore has
 * every row of both timelines up to the moment, and none after.
 */
class FailoverThenPitrTest {
  @TempDir Path dir;
  private PgCluster primary;
  private PgCluster standby;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private Path restores;

  @AfterEach
  void stop() {
    if (client != null) {
      try {
        WorkflowStub.fromTyped(client.newWorkflowStub(WalArchiveWorkflow.class, "wal-archive-app"))
            .signal("stop", "done");
      } catch (RuntimeException ignored) {
        // not running
      }
    }
    if (env != null) {
      env.close();
    }
    for (PgCluster c : new PgCluster[] {standby, primary}) {
      if (c != null) {
        c.close();
      }
    }
    if (restores != null) {
      LocalCluster.deleteTree(restores);
    }
  }

  @Test
  void theArchiveFollowsTheNewPrimaryAcrossTheTimelineSwitchAndARestoreCrossesIt() throws Exception {
    String unseen = failOverWithTheArchiveBehind(true);
    Instant moment = Instant.now();
    Thread.sleep(1100);
    standby.exec("app", "INSERT INTO events(note) VALUES ('on timeline 2, after the moment')");
    WalStatus status = awaitArchived(WalNames.parseLsn(standby.exec("app", "SELECT pg_current_wal_lsn()")));
    assertEquals(2, status.timeline(), status.toString());
    assertEquals(List.of(), status.gaps(), "the new primary kept " + unseen + " for the archive: " + status);
    assertTrue(status.following().startsWith(standby.url("app") + " since "), status.toString());
    Histories.record(client, "failover-app", "failover-5");

    Path target = restores.resolve("restored");
    int port = LocalCluster.freePort();
    PitrResult result = client.newWorkflowStub(PointInTimeRestoreWorkflow.class, options("pitr-after-failover"))
        .restore(new PitrRequest("app", null, moment.toString(), null, false, target.toString(), port));
    try {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", "postgres",
          primary.password()); ResultSet rs = c.createStatement().executeQuery("SELECT string_agg(note, ','"
              + " ORDER BY id), pg_is_in_recovery() FROM events")) {
        rs.next();
        assertEquals("before the backup,archived on timeline 1,only the standby had it,in the segment of the switch",
            rs.getString(1), result.toString());
        assertFalse(rs.getBoolean(2), "promoted");
      }
    } finally {
      PitrRuns.stopRestored(target);
    }
  }

  /**
   * Without wal.standbys no slot kept the standby's WAL: its promotion recycled the segment the archive never
   * saw. The archive goes on along timeline 2, the gap is named, and a restore that would cross it is refused.
   */
  @Test
  void withoutASlotOnTheStandbyTheLostSegmentIsNamedAndARestoreAcrossItRefused() throws Exception {
    String unseen = failOverWithTheArchiveBehind(false);
    Instant moment = Instant.now();
    standby.exec("app", "INSERT INTO events(note) VALUES ('on timeline 2')");
    WalStatus status = awaitArchived(WalNames.parseLsn(standby.exec("app", "SELECT pg_current_wal_lsn()")));
    assertEquals(2, status.timeline(), status.toString());
    assertEquals(List.of(unseen), status.gaps(), status.toString());
    assertTrue(lifeboat.workflows.check.WalAlarms.of(status).stream().anyMatch(a -> a.kind().equals("wal-gap")),
        status.toString());

    io.temporal.client.WorkflowFailedException refused = org.junit.jupiter.api.Assertions.assertThrows(
        io.temporal.client.WorkflowFailedException.class, () -> client.newWorkflowStub(
            PointInTimeRestoreWorkflow.class, options("pitr-across-the-gap")).restore(new PitrRequest("app", null,
                moment.toString(), null, false, restores.resolve("never").toString(), LocalCluster.freePort())));
    var why = (io.temporal.failure.ApplicationFailure) refused.getCause().getCause();
    assertEquals("RECOVERY_TARGET_UNREACHABLE", why.getType());
    assertTrue(why.getOriginalMessage().contains("WAL segment " + unseen + " of app is missing from the archive"),
        why.getOriginalMessage());
    assertFalse(Files.exists(restores.resolve("never")), "refused before anything is written");
  }

  /**
   * Primary, standby, archive and base backup; the archive stopped, then a whole segment and part of the next
   * written that only the standby receives; the primary killed; a failover (a drill answered by itself) to the
   * standby; a checkpoint there; the archive started again, now from the new primary. Returns the segment the
   * archive never saw.
   */
  private String failOverWithTheArchiveBehind(boolean slotOnStandby) throws Exception {
    restores = PitrRuns.restoresFolder();
    primary = PgCluster.start();
    primary.createDatabase("app");
    primary.exec("app", "CREATE TABLE events(id serial PRIMARY KEY, note text)");
    standby = PgCluster.startStandbyOf(primary);
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("pg-password"), primary.password());
    Path envFile = dir.resolve("app.env");
    Files.writeString(envFile, "DATABASE_URL=" + primary.url("app") + "\n");
    home.database("app", "{ engine: postgres, url: \"" + primary.url("app") + "\", password: file:pg-password,"
        + " repository: local, wal: { archive: stream, slot: lifeboat_follow_test, partialEvery: 1s"
        + (slotOnStandby ? ", standbys: [ { url: \"" + standby.url("app") + "\", password: file:pg-password } ]" : "")
        + " } }");
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();

    startArchive();
    primary.exec("app", "INSERT INTO events(note) VALUES ('before the backup')");
    client.newWorkflowStub(BackupWorkflow.class, options("base-app"))
        .backup(new BackupRequest("app", null, null, BackupRequest.BASE));
    primary.exec("app", "INSERT INTO events(note) VALUES ('archived on timeline 1')");
    WalStatus before = awaitArchived(WalNames.parseLsn(primary.exec("app", "SELECT pg_current_wal_lsn()")));
    if (slotOnStandby) {
      assertTrue(before.standbySlots().size() == 1 && before.standbySlots().get(0).contains(
          "slot lifeboat_follow_test kept at"), before.toString());
    }
    stopArchive();
    // a whole segment of timeline 1 the archive never saw whole, then part of the next (the switch point's)
    primary.exec("app", "INSERT INTO events(note) VALUES ('only the standby had it')");
    String unseen = primary.exec("app", "SELECT pg_walfile_name(pg_current_wal_lsn())");
    primary.exec("app", "SELECT pg_switch_wal(); INSERT INTO events(note) VALUES ('in the segment of the switch')");
    awaitReplayed("in the segment of the switch");
    primary.killPostmaster();

    FailoverResult failover = client.newWorkflowStub(FailoverWorkflow.class, options("failover-app"))
        .failover(new FailoverRequest(runbook(envFile), true, true));
    assertEquals(FailoverResult.PROMOTED, failover.outcome(), failover.timelineMarkdown());
    assertTrue(failover.timelineMarkdown().contains("follow-wal-archive"), failover.timelineMarkdown());
    assertTrue(failover.timelineMarkdown().contains("now go to " + standby.url("app")), failover.timelineMarkdown());
    // A checkpoint on the new primary removes the WAL before its redo point that no slot holds, as its own
    // end-of-recovery checkpoint does sooner or later: the race is decided, not left to timing.
    standby.exec("app", "CHECKPOINT");
    startArchive(); // reads wal/app/follow.json: streams from the new primary
    Thread.sleep(1100);
    return unseen;
  }

  private Runbook runbook(Path envFile) {
    FailoverEndpoint newPrimary = new FailoverEndpoint(standby.url("app"), "file:pg-password");
    FailoverSpec spec = new FailoverSpec(new FailoverEndpoint(primary.url("app"), "file:pg-password"), newPrimary,
        new ProbeSettings(1, "1s", "1s"), RepointSpec.envFile(envFile.toString(), null), newPrimary, null, null,
        "30s");
    return new Runbook(Runbook.KIND_FAILOVER, "app-failover", "app", null, null, null, null, null, null,
        new ApprovalPolicy(List.of("alice"), "15m", "30m", "wait"), spec);
  }

  private void startArchive() {
    WorkflowClient.start(client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-app"))::archive,
        "app");
  }

  private void stopArchive() throws Exception {
    WorkflowStub archive = client.newUntypedWorkflowStub("wal-archive-app");
    archive.signal("stop", "the archive falls behind the standby");
    archive.getResult(30, TimeUnit.SECONDS, Void.class);
  }

  /** Waits until the archive has stored WAL through {@code lsn} (a minute at most); its status then. */
  private WalStatus awaitArchived(long lsn) throws InterruptedException {
    try {
      return PitrRuns.awaitArchived(client, "app", lsn);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the archive's step: " + retrying(), e);
    }
  }

  /** Why the archive's StreamWal retries, if it does: what a person would see in `wal status`. */
  private String retrying() {
    var described = env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(env.getNamespace())
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("wal-archive-app"))
            .build());
    return described.getPendingActivitiesList().stream()
        .map(a -> a.getActivityType().getName() + " attempt " + a.getAttempt() + ": " + a.getLastFailure()
            .getMessage()).toList().toString();
  }

  private void awaitReplayed(String note) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if ("1".equals(standby.exec("app", "SELECT count(*) FROM events WHERE note = '" + note + "'"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the standby never replayed '" + note + "'");
  }

  private static WorkflowOptions options(String id) {
    return PitrRuns.options(id);
  }
}
