package lifeboat.cli;

import static lifeboat.cli.testing.KillPoints.awaitPartialOver;
import static lifeboat.cli.testing.KillPoints.awaitRestoredOver;
import static lifeboat.cli.testing.KillPoints.completed;
import static lifeboat.cli.testing.KillPoints.drillClusters;
import static lifeboat.cli.testing.KillPoints.eventSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.FailoverRunbooks;
import lifeboat.cli.testing.DevServer;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable default: `lifeboat dev` on the real Temporal dev server is SIGKILLed together with that server,
 * as a machine crash would, in the middle of a backup, of a drill's restore, and while a failover waits for its
 * approval. Started again on the same state folder, each carries on: nothing lost, nothing done twice.
 */
class DevRestartTest {
  @TempDir Path state;
  @TempDir Path runbooks;

  @Test
  void aBackupInFlightFinishesOnceAfterDevAndItsServerAreKilled() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      pg.createDatabase("big");
      // ~280 MB of md5 text, which zstd only halves: the stored stream takes seconds, so the kill lands mid-dump.
      pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text, c text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text), md5((g * 7)::text)"
          + " FROM generate_series(1, 2000000) g;");
      home.postgres("big", pg.url("big"), pg.password()).writeConfig();
      int port = Ports.free();
      String id;
      long killedAt;
      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        id = WorkflowRuns.startBackup(temporal.client(), "big");
        killedAt = awaitPartialOver(home, 20L << 20, dev.cli());
        dev.crash();
      }
      assertFalse(home.repositoryFiles(".partial-").isEmpty(), "the killed attempt left its partial object");
      assertTrue(home.repositoryFiles("manifest.json").isEmpty(), "no backup exists yet");

      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        BackupResult result;
        try {
          result = WorkflowRuns.backupResult(temporal.client(), id, Duration.ofMinutes(5));
        } catch (RuntimeException | AssertionError e) {
          throw new AssertionError(e.getMessage() + "\nhistory:\n" + eventSummary(temporal.client(), id)
              + "\nrestarted dev:\n" + dev.output(), e);
        }
        assertTrue(result.verified(), "verified");
        assertTrue(result.storedBytes() > 2 * killedAt,
            "the kill came mid-stream: " + killedAt + " of " + result.storedBytes() + " bytes");
        List<Path> manifests = home.repositoryFiles("manifest.json");
        assertEquals(1, manifests.size(), "exactly one backup: " + manifests);
        JsonNode manifest = new ObjectMapper().readTree(manifests.get(0).toFile());
        assertTrue(manifest.get("verified").asBoolean(), manifest.toString());
        assertEquals(result.backupId(), manifest.get("backupId").asText());
        assertEquals(List.of(), home.repositoryFiles(".partial-"), "no partial object anywhere");
        List<HistoryEvent> events = temporal.client().fetchHistory(id).getEvents();
        assertEquals(1, completed(events, "DumpToRepository"), "the dump completed once");
        assertEquals(1, completed(events, "PublishManifest"), "one manifest published");

        CliResult list = InProcessCli.run("backup", "list", "big", "--address", dev.address());
        assertEquals(ExitCodes.OK, list.exit(), list.toString());
        assertEquals(2, list.out().lines().count(), "a header and one verified backup:\n" + list.out());
        assertTrue(list.out().contains(result.backupId()) && list.out().contains(" yes "), list.out());
      }
    }
  }

  @Test
  void aDrillInTheMiddleOfItsRestoreFinishesAndTearsDownAfterDevAndItsServerAreKilled() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      pg.createDatabase("big");
      pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text) FROM generate_series(1, 1000000) g;");
      home.postgres("big", pg.url("big"), pg.password()).writeConfig();
      int port = Ports.free();
      Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "big-drill", "big", null, null, null,
          new RestoreSpec("latest", null, "cluster", null, null, 1, true, "30m"), null,
          List.of(new SmokeCheck("every row", "SELECT count(*) FROM big", "= 1000000", null)), null, null);
      String id;
      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        WorkflowRuns.backupResult(temporal.client(), WorkflowRuns.startBackup(temporal.client(), "big"),
            Duration.ofMinutes(4));
        id = WorkflowRuns.startDrill(temporal.client(), runbook);
        awaitRestoredOver(temporal.client(), id, 20L << 20, dev.cli());
        dev.crash();
      }
      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        DrillReport report;
        try {
          report = WorkflowRuns.drillResult(temporal.client(), id, Duration.ofMinutes(5));
        } catch (RuntimeException | AssertionError e) {
          throw new AssertionError(e.getMessage() + "\nhistory:\n" + eventSummary(temporal.client(), id)
              + "\nrestarted dev:\n" + dev.output(), e);
        }
        assertTrue(report.success(), report.toString());
        assertEquals("1000000", report.smoke().get(0).actual());
        List<HistoryEvent> events = temporal.client().fetchHistory(id).getEvents();
        assertEquals(1, completed(events, "RestoreIntoTarget"), "restored once, to the end");
        assertEquals(1, completed(events, "TeardownThrowawayTarget"), "torn down exactly once");
        assertEquals(List.of(), drillClusters(), "no throwaway cluster left");
      }
    }
  }

  @Test
  void aFailoverWaitingForApprovalIsPendingAfterDevAndItsServerAreKilledAndApprovalGoesOn() throws Exception {
    Pattern workflowId = Pattern.compile("workflow (failover-\\S+)");
    try (PgCluster primary = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      primary.createDatabase("app");
      primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY)");
      try (PgCluster standby = PgCluster.startStandbyOf(primary); PgBouncer bouncer = PgBouncer.startFor(primary)) {
        home.postgres("app", primary.url("app"), primary.password()).writeConfig();
        FailoverRunbooks.appFailover(runbooks, home, primary, standby, bouncer);
        int port = Ports.free();
        String id;
        try (DevServer dev = DevServer.startDurable(home.config(), state, port)) {
          primary.killPostmaster();
          CliResult started = InProcessCli.run("failover", "start", "app-failover", "--runbooks",
              runbooks.toString(), "--address", dev.address());
          assertEquals(ExitCodes.UNEXPECTED_STATE, started.exit(), started + dev.output());
          assertTrue(started.out().contains("WAITING FOR APPROVAL"), started.toString());
          Matcher m = workflowId.matcher(started.out());
          assertTrue(m.find(), started.out());
          id = m.group(1);
          dev.crash();
        }
        try (DevServer dev = DevServer.startDurable(home.config(), state, port);
             Temporal temporal = Temporal.local(dev.address())) {
          CliResult pending = InProcessCli.run("pending", "--address", dev.address());
          assertTrue(pending.out().contains(id + "  FailoverWorkflow  WAITING FOR APPROVAL at await-promotion-approval"),
              pending + dev.output());
          CliResult approved = InProcessCli.run("approve", id, "--by", "alice", "--reason", "db1 is gone",
              "--address", dev.address());
          assertEquals(ExitCodes.OK, approved.exit(), approved + dev.output());
          assertTrue(approved.out().endsWith("outcome: promoted\n"), approved.toString());
          FailoverResult result = temporal.client().newUntypedWorkflowStub(id)
              .getResult(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS, FailoverResult.class);
          assertEquals(FailoverResult.PROMOTED, result.outcome(), result.timelineMarkdown());
          assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"));
          assertEquals(1, completed(temporal.client().fetchHistory(id).getEvents(), "PromoteStandby"),
              "promoted once");
        }
      }
    }
  }
}
