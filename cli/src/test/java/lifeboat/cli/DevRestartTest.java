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
import lifeboat.cli.testing.KillPoints;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

  /** How `lifeboat dev` goes down mid-drill: killed with its server, as a machine crash; or stopped (SIGTERM). */
  enum Stop { CRASH, SIGTERM }

  /**
   * On the real dev server (its state in --state) the drill's workflow survives either stop: the next start
   * leaves its target alone (a running drill's target is its own), and the drill resumes its restore, passes,
   * and tears the cluster down itself, once.
   */
  @ParameterizedTest
  @EnumSource(Stop.class)
  void aDrillInTheMiddleOfItsRestoreFinishesAndTearsDownAfterDevStops(Stop stop) throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      bigDatabase(pg, home);
      int port = Ports.free();
      String id;
      ThrowawayTarget target;
      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        id = drillUntilMidRestore(temporal, dev);
        target = KillPoints.createdTarget(temporal.client(), id);
        if (stop == Stop.CRASH) {
          dev.crash();
        } else {
          dev.terminate();
        }
      }
      try (DevServer dev = DevServer.startDurable(home.config(), state, port);
           Temporal temporal = Temporal.local(dev.address())) {
        assertFalse(dev.output().contains("drill target"), "a running drill's target is its own:\n" + dev.output());
        drillPassed(temporal, dev, id);
        List<HistoryEvent> events = temporal.client().fetchHistory(id).getEvents();
        assertEquals(1, completed(events, "RestoreIntoTarget"), "restored once, to the end");
        assertEquals(1, completed(events, "TeardownThrowawayTarget"), "torn down by the drill, once");
        assertFalse(Files.exists(Path.of(target.dir())), "the throwaway cluster is gone");
        assertFalse(Files.exists(home.repository().resolve("drill-targets/big/" + target.drillId() + ".json")));
        assertEquals(List.of(), drillClusters(), "no throwaway cluster left");
      }
    }
  }

  /**
   * `lifeboat dev` on the in-memory server stopped (SIGTERM) mid-restore: the drill's workflow is gone with the
   * server, its throwaway cluster still runs. The next start finds it in the ledger, learns from the new server
   * that the workflow is unknown, removes the cluster and its entry, and says so.
   */
  @Test
  void aDrillStoppedBySigtermOnTheInMemoryServerHasItsClusterRemovedAtTheNextStart() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      bigDatabase(pg, home);
      String id;
      ThrowawayTarget target;
      try (DevServer dev = DevServer.start(home.config()); Temporal temporal = Temporal.local(dev.address())) {
        id = drillUntilMidRestore(temporal, dev);
        target = KillPoints.createdTarget(temporal.client(), id);
        dev.terminate();
      }
      Path dataDir = Path.of(target.dir());
      assertTrue(Files.exists(dataDir.resolve("postmaster.pid")), "the stop left the throwaway cluster running");
      Path entry = home.repository().resolve("drill-targets/big/" + target.drillId() + ".json");
      assertTrue(Files.exists(entry), "and its ledger entry");

      try (DevServer dev = DevServer.start(home.config())) {
        List<String> said = dev.output().lines().filter(l -> l.contains("drill target")).toList();
        assertEquals(List.of("removed drill target " + target.describe() + ": its drill workflow " + id
            + " is not known to Temporal (stopped and deleted cluster at " + target.dir() + ")"), said,
            dev.output());
        assertFalse(Files.exists(dataDir), "the cluster's data directory is gone");
        assertFalse(Files.exists(entry), "its ledger entry too");
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")));
      }
    }
  }

  /** The drill {@code id} finishes after the restart, passing, every row restored. */
  private static void drillPassed(Temporal temporal, DevServer dev, String id) {
    DrillReport report;
    try {
      report = WorkflowRuns.drillResult(temporal.client(), id, Duration.ofMinutes(5));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nhistory:\n" + eventSummary(temporal.client(), id)
          + "\nrestarted dev:\n" + dev.output(), e);
    }
    assertTrue(report.success(), report.toString());
    assertEquals("1000000", report.smoke().get(0).actual());
  }

  /** A database big enough that its restore takes seconds, and its verified backup, in lifeboat.yaml. */
  private static void bigDatabase(PgCluster pg, LifeboatHome home) throws Exception {
    pg.createDatabase("big");
    pg.exec("big", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text);"
        + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text) FROM generate_series(1, 1000000) g;");
    home.postgres("big", pg.url("big"), pg.password()).writeConfig();
  }

  /** Backs the database up, starts a drill into a throwaway cluster, returns its id once its restore is under way. */
  private static String drillUntilMidRestore(Temporal temporal, DevServer dev) throws Exception {
    WorkflowRuns.backupResult(temporal.client(), WorkflowRuns.startBackup(temporal.client(), "big"),
        Duration.ofMinutes(4));
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "big-drill", "big", null, null, null,
        new RestoreSpec("latest", null, "cluster", null, null, 1, true, "30m"), null,
        List.of(new SmokeCheck("every row", "SELECT count(*) FROM big", "= 1000000", null)), null, null);
    String id = WorkflowRuns.startDrill(temporal.client(), runbook);
    awaitRestoredOver(temporal.client(), id, 20L << 20, dev.cli());
    return id;
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
