package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static lifeboat.worker.PitrRuns.options;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery end to end on a real cluster: the archive streams, a base backup is taken, rows are
 * written before and after a moment, and a restore to that moment brings back the rows before it and none
 * after, in a new cluster that answers on its port. A moment past the archive is refused before anything is
 * written.
 */
class PointInTimeRestoreTest {
  private static PgCluster pg;
  private static TestWorkflowEnvironment env;
  private static WorkflowClient client;
  private static Instant between;
  private static Path home;
  @TempDir static Path dir;
  /** Where the restored clusters go: a folder the postgres OS user can enter (the JUnit one is 0700). */
  private static Path restores;

  @BeforeAll
  static void archiveBackupAndWrite() throws Exception {
    restores = PitrRuns.restoresFolder();
    pg = PgCluster.start();
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE events(id serial PRIMARY KEY, note text, at timestamptz DEFAULT now())");
    home = Files.createDirectories(dir.resolve("home"));
    TestRepositoryHome repo = new TestRepositoryHome(home, SharedKeys.get());
    repo.postgresWithWal("app", pg, "app", "lifeboat_pitr_test");
    repo.database("plain", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(repo.config()));
    env.start();
    client = env.getWorkflowClient();
    WorkflowClient.start(client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-app"))::archive,
        "app");
    pg.exec("app", "INSERT INTO events(note) VALUES ('before the backup')");
    client.newWorkflowStub(BackupWorkflow.class, options("base-app"))
        .backup(new BackupRequest("app", null, null, BackupRequest.BASE));
    pg.exec("app", "INSERT INTO events(note) VALUES ('after the backup, before the moment')");
    Thread.sleep(1100);
    between = Instant.now();
    Thread.sleep(1100);
    pg.exec("app", "INSERT INTO events(note) VALUES ('after the moment')");
    long written = WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()"));
    awaitArchived(written);
  }

  private static void awaitArchived(long lsn) throws InterruptedException {
    PitrRuns.awaitArchived(client, "app", lsn);
  }

  @AfterAll
  static void stop() {
    WorkflowStub.fromTyped(client.newWorkflowStub(WalArchiveWorkflow.class, "wal-archive-app")).signal("stop", "done");
    env.close();
    pg.close();
    LocalCluster.deleteTree(restores);
  }

  private static PitrResult restore(String id, PitrRequest request) {
    return PitrRuns.restore(client, id, request);
  }

  @Test
  void aRestoreToAMomentHasTheRowsWrittenBeforeItAndNoneAfter() throws Exception {
    Path target = restores.resolve("restored");
    int port = LocalCluster.freePort();
    PitrResult result = restore("pitr-time", new PitrRequest("app", null, between.toString(), null, false,
        target.toString(), port));
    try {
      assertTrue(result.outcome().stoppedAt().startsWith("recovery stopping before commit of transaction"),
          result.outcome().toString());
      assertTrue(Instant.parse(result.outcome().lastTransactionAt()).isBefore(between), result.outcome().toString());
      assertTrue(result.segmentsFetched() >= 1, result.toString());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", "postgres",
          pg.password()); ResultSet rs = c.createStatement().executeQuery("SELECT string_agg(note, ',' ORDER BY id),"
              + " pg_is_in_recovery() FROM events")) {
        rs.next();
        assertEquals("before the backup,after the backup, before the moment", rs.getString(1));
        assertFalse(rs.getBoolean(2), "promoted: it takes writes");
      }
      assertFalse(Files.exists(target.resolve("lifeboat_restore_wal")), "the fetched WAL is gone once recovered");
      Histories.record(client, "pitr-time", "pitr-1");
    } finally {
      PitrRuns.stopRestored(target);
    }
  }

  @Test
  void aFolderThePostgresUserCannotReachIsRefusedBeforeAnythingIsWritten() {
    org.junit.jupiter.api.Assumptions.assumeTrue(lifeboat.activities.postgres.ServerPrograms.root(),
        "only a root worker runs the server as another OS user");
    Path target = dir.resolve("unreachable");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> restore("pitr-unreachable",
        new PitrRequest("app", null, between.toString(), null, false, target.toString(), LocalCluster.freePort())));
    ApplicationFailure cause = (ApplicationFailure) ((ActivityFailure) e.getCause()).getCause();
    assertEquals("TARGET_INVALID", cause.getType());
    assertTrue(cause.getOriginalMessage().contains("cannot reach " + dir), cause.getOriginalMessage());
    assertFalse(Files.exists(target));
  }

  /**
   * The archive damaged in the repository: a segment deleted is refused at the plan, naming it, before anything
   * is written; a segment altered is refused when fetched (its SHA-256), and DIR is emptied. Each is put back.
   */
  @Test
  void aMissingOrAlteredSegmentIsRefusedNamedAndNothingIsLeft() throws Exception {
    Path walRoot = home.resolve("repo/wal/app");
    Path first;
    try (var files = Files.walk(walRoot)) {
      first = files.filter(f -> f.getFileName().toString().matches("[0-9A-F]{24}-[0-9a-f]{64}\\.zst\\.pgp"))
          .sorted().reduce((a, b) -> b).orElseThrow(); // the newest full segment: inside every restore's range
    }
    String name = first.getFileName().toString().substring(0, 24);
    byte[] original = Files.readAllBytes(first);
    Path target = restores.resolve("damaged");
    try {
      Files.delete(first);
      WorkflowFailedException missing = assertThrows(WorkflowFailedException.class, () -> restore("pitr-missing",
          new PitrRequest("app", null, null, null, false, target.toString(), LocalCluster.freePort())));
      ApplicationFailure gap = (ApplicationFailure) ((ActivityFailure) missing.getCause()).getCause();
      assertEquals("RECOVERY_TARGET_UNREACHABLE", gap.getType());
      assertTrue(gap.getOriginalMessage().contains("WAL segment " + name + " of app is missing from the archive"),
          gap.getOriginalMessage());
      assertFalse(Files.exists(target), "nothing written");

      byte[] altered = original.clone();
      altered[altered.length / 2] ^= 0x55;
      Files.write(first, altered);
      WorkflowFailedException corrupt = assertThrows(WorkflowFailedException.class, () -> restore("pitr-corrupt",
          new PitrRequest("app", null, null, null, false, target.toString(), LocalCluster.freePort())));
      ApplicationFailure bad = (ApplicationFailure) ((ActivityFailure) corrupt.getCause()).getCause();
      assertEquals("CORRUPT_BACKUP", bad.getType(), bad.getOriginalMessage());
      assertTrue(bad.getOriginalMessage().contains(name), bad.getOriginalMessage());
      try (var left = Files.list(target)) {
        assertEquals(0, left.count(), "DIR emptied after the refusal");
      }
    } finally {
      Files.write(first, original);
      LocalCluster.deleteTree(target);
    }
  }

  private static lifeboat.workflows.drill.DrillReport pitrDrill(String id, String database) {
    lifeboat.workflows.runbook.Runbook runbook = new lifeboat.workflows.runbook.Runbook(
        lifeboat.workflows.runbook.Runbook.KIND_PITR_DRILL, database + "-pitr", database, null, null, null,
        new lifeboat.workflows.runbook.RestoreSpec(null, null, null, null, null, 1, true, "30m", "public.drill_canary"),
        null,
        java.util.List.of(new lifeboat.workflows.runbook.SmokeCheck("events", "SELECT count(*) FROM events",
            ">= 2", null)), null, null);
    return client.newWorkflowStub(lifeboat.workflows.drill.PitrDrillWorkflow.class, options(id))
        .drill(new lifeboat.workflows.drill.DrillRequest(runbook, null, "test"));
  }

  /** The seed's drill: canaries around a moment, a restore to it into a throwaway cluster, torn down after. */
  @Test
  void aPitrDrillFindsTheFirstCanaryAndNotTheSecondAndTearsDown() throws Exception {
    lifeboat.workflows.drill.DrillReport report = pitrDrill("pitr-drill-ok", "app");
    assertTrue(report.success(), report.toString());
    assertEquals(java.util.List.of("canary written before the moment", "canary written after the moment", "events"),
        report.smoke().stream().map(lifeboat.workflows.drill.SmokeResult::name).toList());
    assertTrue(report.smoke().stream().allMatch(lifeboat.workflows.drill.SmokeResult::passed), report.smoke().toString());
    assertTrue(report.target().contains("recovery point: the WAL was in the repository"), report.target());
    assertTrue(report.target().contains("recovery stopping before commit"), report.target());
    assertEquals(Boolean.TRUE, report.rtoMet(), report.toString());
    assertEquals("teardown-target", report.steps().get(report.steps().size() - 1).name());
    assertEquals(0, drillClusters().size(), "torn down");
    assertFalse(Files.exists(home.resolve("repo/drill-targets/app")) && Files.list(home.resolve(
        "repo/drill-targets/app")).findAny().isPresent(), "its drill-target entry is cleared");
    assertEquals("0", pg.exec("app", "SELECT count(*) FROM public.drill_canary WHERE id = 'pitr-drill-ok-first'"),
        "the first canary is gone from the primary: only the restore has it");
    assertTrue(Files.exists(home.resolve("repo/drills/app/pitr-drill-ok.json")), "the report is recorded");
    Histories.record(client, "pitr-drill-ok", "pitr-drill-1");
  }

  /**
   * A PITR drill whose teardown keeps failing (a fault in front of the real step, on a second worker against
   * the same repository and archive) fails with DRILL_TEARDOWN_FAILED naming the cluster left, not PASSED.
   */
  @Test
  void aPitrDrillWhoseClusterCannotBeRemovedFailsNamingIt() throws Exception {
    FaultInjection faults = new FaultInjection().failFrom("DiscardRecoveryTarget", 1,
        () -> ApplicationFailure.newNonRetryableFailure("pg_ctl stop failed: could not send stop signal",
            "RESTORE_FAILED"));
    try (TestWorkflowEnvironment faulty = TestWorkflowEnvironment.newInstance()) {
      LifeboatWorker.register(faulty.getWorkerFactory(), Workspace.fromFile(home.resolve("lifeboat.yaml")), faults);
      faulty.start();
      lifeboat.workflows.runbook.Runbook runbook = new lifeboat.workflows.runbook.Runbook(
          lifeboat.workflows.runbook.Runbook.KIND_PITR_DRILL, "app-pitr", "app", null, null, null, null, null, null,
          null, null);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> faulty.getWorkflowClient()
          .newWorkflowStub(lifeboat.workflows.drill.PitrDrillWorkflow.class, options("pitr-drill-stuck"))
          .drill(new lifeboat.workflows.drill.DrillRequest(runbook, null, "test")));
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertEquals("DRILL_TEARDOWN_FAILED", failure.getType());
      lifeboat.workflows.drill.DrillReport report = failure.getDetails().get(lifeboat.workflows.drill.DrillReport.class);
      assertFalse(report.success(), report.toString());
      assertTrue(report.failure().contains("is left behind") && report.failure().contains("HINT: pg_ctl -D "),
          report.failure());
      assertEquals(1, drillClusters().size(), "left behind, running");

      // The cluster is in the drill-target ledger: a worker starting later removes it, its drill being over.
      java.util.List<String> swept = new lifeboat.activities.drill.OrphanedDrillTargets(Workspace.fromFile(
          home.resolve("lifeboat.yaml"))).remove(faulty.getNamespace(),
              workflowId -> workflowId.equals("pitr-drill-stuck") ? "failed" : null);
      assertEquals(1, swept.size(), swept.toString());
      assertTrue(swept.get(0).startsWith("removed drill target cluster lifeboat_drill_pitr_app_")
          && swept.get(0).contains("its drill workflow pitr-drill-stuck is failed"), swept.toString());
      assertEquals(0, drillClusters().size(), "removed by the sweep");
    } finally {
      for (Path p : drillClusters()) {
        PitrRuns.stopRestored(p);
        LocalCluster.deleteTree(p);
      }
    }
  }

  /** The PITR drill clusters of app in the worker's drill folder. */
  private static java.util.List<Path> drillClusters() throws java.io.IOException {
    Path folder = Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-drill");
    if (!Files.isDirectory(folder)) {
      return java.util.List.of();
    }
    try (var left = Files.list(folder)) {
      return left.filter(d -> d.getFileName().toString().startsWith("lifeboat_drill_pitr_app_")).toList();
    }
  }

  @Test
  void aPitrDrillOfADatabaseWithoutAnArchiveFailsWithItsReport() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> pitrDrill("pitr-drill-plain",
        "plain"));
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertEquals("DRILL_FAILED", failure.getType());
    lifeboat.workflows.drill.DrillReport report = failure.getDetails().get(lifeboat.workflows.drill.DrillReport.class);
    assertFalse(report.success());
    assertTrue(report.failure().contains("database plain has no WAL archive"), report.failure());
    assertEquals(null, report.rtoMet(), "nothing restored: no RTO verdict");
  }

  /** A named restore point, recorded in the repository; a restore to it stops there. A name is used once. */
  @Test
  void aRestoreToANamedPointStopsThere() throws Exception {
    pg.exec("app", "INSERT INTO events(note) VALUES ('named: before')");
    String made = client.newWorkflowStub(lifeboat.workflows.pitr.RestorePointWorkflow.class, options("rp-1"))
        .create("app", "before-the-deploy");
    assertTrue(made.startsWith("before-the-deploy at "), made);
    pg.exec("app", "INSERT INTO events(note) VALUES ('named: after')");
    long written = WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()"));
    awaitArchived(written);
    WorkflowFailedException twice = assertThrows(WorkflowFailedException.class, () -> client.newWorkflowStub(
        lifeboat.workflows.pitr.RestorePointWorkflow.class, options("rp-2")).create("app", "before-the-deploy"));
    assertTrue(twice.getCause().getCause().getMessage().contains("already exists"), twice.getCause().getCause()
        .getMessage());
    assertStopsBetween("pitr-named", "named", "before-the-deploy", null, null,
        "recovery stopping at restore point \"before-the-deploy\"", "named: before", "named: after");
  }

  /** A restore to a transaction id stops right after it committed. */
  @Test
  void aRestoreToATransactionStopsAfterItsCommit() throws Exception {
    String xid = pg.exec("app", "INSERT INTO events(note) VALUES ('xid: this one'); SELECT txid_current()").strip();
    pg.exec("app", "INSERT INTO events(note) VALUES ('xid: the next one')");
    awaitArchived(WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()")));
    assertStopsBetween("pitr-xid", "xid", null, xid, null, "recovery stopping after commit of transaction " + xid,
        "xid: this one", "xid: the next one");
  }

  /** A restore to an LSN (`--to-lsn`, taken between two commits) stops there: the first is in, the second not. */
  @Test
  void aRestoreToAnLsnStopsThere() throws Exception {
    pg.exec("app", "INSERT INTO events(note) VALUES ('lsn: before')");
    String lsn = pg.exec("app", "SELECT pg_current_wal_lsn()").strip();
    pg.exec("app", "INSERT INTO events(note) VALUES ('lsn: after')");
    awaitArchived(WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()")));
    assertStopsBetween("pitr-lsn", "lsn", null, null, lsn, "recovery stopping after WAL location (LSN) \"" + lsn
        + "\"", "lsn: before", "lsn: after");
  }

  /**
   * Restores to a named point, a transaction or an LSN into restores/{@code folder}: the server says it stopped as
   * {@code stopped} says, the row {@code kept} is there and the row {@code gone} is not.
   */
  private static void assertStopsBetween(String id, String folder, String name, String xid, String lsn,
      String stopped, String kept, String gone) throws Exception {
    Path target = restores.resolve(folder);
    int port = LocalCluster.freePort();
    PitrResult result = restore(id, new PitrRequest("app", null, null, lsn, false, target.toString(), port, name,
        xid));
    try {
      assertTrue(result.outcome().stoppedAt().startsWith(stopped), result.outcome().toString());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", "postgres",
          pg.password()); PreparedStatement st = c.prepareStatement("SELECT count(*) FILTER (WHERE note = ?),"
              + " count(*) FILTER (WHERE note = ?) FROM events")) {
        st.setString(1, kept);
        st.setString(2, gone);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          assertEquals(1, rs.getInt(1), kept);
          assertEquals(0, rs.getInt(2), gone);
        }
      }
    } finally {
      PitrRuns.stopRestored(target);
    }
  }

  /**
   * RecoverToTarget run again on the server it recovered, as the replacement of a worker killed once the server
   * was started runs it: it waits for that server and reports what the first attempt did. The case a kill test
   * cannot aim at: a time after the archive's last transaction, where the first attempt restarts the server to
   * the archive's end (endOfArchive); a retry once reported false there.
   */
  @Test
  void aRetryFindingTheServerRecoveredToTheArchivesEndReportsWhatTheFirstAttemptDid() throws Exception {
    pg.exec("app", "INSERT INTO events(note) VALUES ('retry: the last transaction')");
    Thread.sleep(1100);
    Instant target = Instant.now();
    Thread.sleep(100);
    // WAL after the moment but no commit: the archive reaches past it, and no transaction tells recovery so.
    pg.exec("app", "SELECT pg_switch_wal()");
    awaitArchived(WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()")));
    Path dir = restores.resolve("retried");
    lifeboat.activities.pitr.PitrActivitiesImpl steps = new lifeboat.activities.pitr.PitrActivitiesImpl(
        Workspace.fromFile(home.resolve("lifeboat.yaml")));
    lifeboat.workflows.pitr.RecoveryPlan plan = steps.planRecovery(new PitrRequest("app", null, target.toString(),
        null, false, dir.toString(), LocalCluster.freePort()));
    try {
      steps.unpack(plan, lifeboat.activities.pipeline.Progress.none(), null, null);
      steps.fetch(plan, () -> { });
      lifeboat.workflows.pitr.RecoveryOutcome first = steps.recover(plan, () -> { });
      assertTrue(first.endOfArchive(), "restarted to the archive's end: " + first);
      assertEquals(first, steps.recover(plan, () -> { }), "the retry reports what the first attempt did");
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + plan.port() + "/app",
          "postgres", pg.password()); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM events"
              + " WHERE note = 'retry: the last transaction'")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "the database at the moment");
      }
    } finally {
      PitrRuns.stopRestored(dir);
    }
  }

  /** A pre-migration backup of a database with a WAL archive sets a restore point just before it migrates. */
  @Test
  void aPreMigrationRunSetsARestorePointBeforeItMigrates() throws Exception {
    lifeboat.workflows.runbook.Runbook runbook = new lifeboat.workflows.runbook.Runbook(
        lifeboat.workflows.runbook.Runbook.KIND_PRE_MIGRATION_BACKUP, "app-pre-migration", "app", null, null, null,
        null, new lifeboat.workflows.runbook.MigratorSpec(lifeboat.workflows.runbook.MigratorSpec.COMMAND, null,
            "psql \"$DATABASE_URL\" -c 'CREATE TABLE migrated(id int)'", null, null, null, null, "5m"), null, null,
        null);
    lifeboat.workflows.premigration.PreMigrationResult r = client.newWorkflowStub(
        lifeboat.workflows.premigration.PreMigrationBackupWorkflow.class, options("migrate-app-pitr"))
        .run(new lifeboat.workflows.premigration.PreMigrationRequest(runbook));
    assertEquals(lifeboat.workflows.premigration.PreMigrationResult.MIGRATED, r.outcome(), r.toString());
    assertTrue(r.restorePoint() != null && r.restorePoint().startsWith("before-migrate-app-pitr at "), r.toString());
    assertTrue(Files.exists(home.resolve("repo/wal/app/restore-points/before-migrate-app-pitr.json")));
    Histories.record(client, "migrate-app-pitr", "premigration-3");
  }

  @Test
  void noHistoryHoldsTheDatabasePassword() {
    for (String id : java.util.List.of("wal-archive-app", "base-app")) {
      assertFalse(Histories.readable(client, id).contains(pg.password()), id);
    }
  }

  @Test
  void aMomentPastTheArchiveIsRefusedBeforeAnythingIsWritten() {
    Path target = restores.resolve("never");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> restore("pitr-future",
        new PitrRequest("app", null, Instant.now().plusSeconds(3600).toString(), null, false, target.toString(),
            LocalCluster.freePort())));
    ApplicationFailure cause = (ApplicationFailure) ((ActivityFailure) e.getCause()).getCause();
    assertEquals("RECOVERY_TARGET_UNREACHABLE", cause.getType());
    assertTrue(cause.getOriginalMessage().contains("the WAL archive of app reaches "), cause.getOriginalMessage());
    assertFalse(Files.exists(target), "nothing written");
  }
}
