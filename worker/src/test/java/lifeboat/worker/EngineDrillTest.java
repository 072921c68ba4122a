package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.DuckDbFiles;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.drill.DrillHistoryWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The restore drill's contract for the engines that joined after PostgreSQL and SQLite, on the Temporal test
 * server with the real activities: DuckDB (a throwaway file), MariaDB into a throwaway mariadbd on the worker and
 * into a fresh database on a drill server. A passing drill restores, checks, tears down and reports; a failing
 * smoke check and a failing restore fail the drill, still tearing down; no history holds a password.
 */
class EngineDrillTest {
  private static final SmokeCheck ITEMS = new SmokeCheck("items", "SELECT count(*) FROM items", "= 1000", null);
  private static final SmokeCheck PROBE = new SmokeCheck("write and read back", null, null, true);
  private static MariaDbServer maria;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookInbox inbox;

  /** What differs between the engines' drills. */
  enum Kind {
    DUCKDB("file", List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target", "restore",
        "check-schema-version", "smoke-checks", "teardown-target")),
    MARIADB_CLUSTER("cluster", List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target",
        "restore-globals", "restore", "check-schema-version", "smoke-checks", "teardown-target")),
    MARIADB_SERVER("server", MARIADB_CLUSTER.steps);

    final String target;
    final List<String> steps;

    Kind(String target, List<String> steps) {
      this.target = target;
      this.steps = steps;
    }

    RestoreSpec spec() {
      return switch (this) {
        case DUCKDB -> new RestoreSpec("latest", null, null, null, null, null, null, "30m");
        case MARIADB_CLUSTER -> new RestoreSpec("latest", null, "cluster", null, null, null, null, "30m");
        case MARIADB_SERVER -> new RestoreSpec("latest", null, "server",
            "mariadb://root@127.0.0.1:" + maria.port() + "/mysql", "file:maria-password", null, null, "30m");
      };
    }
  }

  @BeforeAll
  static void source() {
    maria = MariaDbServer.start();
    maria.createDatabase("app");
    maria.exec("app", String.join("\n",
        "CREATE TABLE schema_version(v int) ENGINE=InnoDB; INSERT INTO schema_version VALUES (4);",
        "CREATE TABLE items(id int AUTO_INCREMENT PRIMARY KEY, name varchar(100)) ENGINE=InnoDB;",
        "INSERT INTO items(name) SELECT concat('item ', seq) FROM seq_1_to_1000;",
        "CREATE VIEW first_items AS SELECT id, name FROM items WHERE id <= 10;"));
  }

  @AfterAll
  static void stopSource() {
    if (maria != null) {
      maria.close();
    }
  }

  private void start(Kind kind, FaultInjection faults) throws Exception {
    inbox = new WebhookInbox();
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get()).webhook(inbox.url());
    Files.writeString(dir.resolve("maria-password"), maria.password());
    DuckDbFiles.sql(dir.resolve("app.duckdb"), "CREATE TABLE schema_version(v INTEGER); INSERT INTO schema_version"
        + " VALUES (4)", "CREATE TABLE items AS SELECT i AS id, 'item ' || i AS name FROM range(1, 1001) t(i)");
    String query = ", schemaVersionQuery: \"select max(v) from schema_version\" }";
    home.database("app", kind == Kind.DUCKDB ? "{ engine: duckdb, path: ./app.duckdb, repository: local" + query
        : "{ engine: mariadb, url: \"" + maria.url("app") + "\", password: file:maria-password, repository: local"
            + query);
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()), faults);
    env.start();
    client = env.getWorkflowClient();
    client.newWorkflowStub(BackupWorkflow.class, options("backup-app")).backup(new BackupRequest("app", null, null));
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (inbox != null) {
      inbox.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aDrillRestoresChecksTearsDownAndReports(Kind kind) throws Exception {
    start(kind, new FaultInjection());
    DrillReport report = drill("drill-ok", kind, ITEMS, PROBE);
    assertTrue(report.success(), report.toString());
    assertEquals(kind.steps, names(report.steps()));
    assertTrue(report.steps().stream().allMatch(s -> s.outcome().equals("ok")), report.steps().toString());
    assertEquals("4", report.backupSchemaVersion());
    assertEquals("4", report.restoredSchemaVersion());
    assertEquals("1000", report.smoke().get(0).actual());
    assertTrue(report.smoke().stream().allMatch(s -> s.passed()), report.smoke().toString());
    assertEquals(Boolean.TRUE, report.rtoMet());
    assertGone(kind, "drill-ok");
    assertEquals("1000", maria.exec("app", "SELECT count(*) FROM items"), "the source is untouched");
    assertEquals(List.of(), inbox.received(), "a passing drill within its RTO tells nobody");
    assertTrue(history().get(0).success());
    String history = Histories.readable(client, "drill-ok");
    assertFalse(history.contains(maria.password()), "the database password in a drill's history");
    assertFalse(history.contains(SharedKeys.get().passphrase()), "the key passphrase in a drill's history");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFailingSmokeCheckFailsTheDrillAfterTearingDown(Kind kind) throws Exception {
    start(kind, new FaultInjection());
    SmokeCheck impossible = new SmokeCheck("a million items", "SELECT count(*) FROM items", ">= 1000000", null);
    DrillReport report = failedDrill("drill-smoke", kind, ITEMS, impossible);
    assertEquals("failed", step(report, "smoke-checks").outcome());
    assertTrue(step(report, "smoke-checks").detail().contains("'a million items'"), report.toString());
    assertEquals("ok", step(report, "teardown-target").outcome(), "torn down even though the drill failed");
    assertGone(kind, "drill-smoke");
    assertEquals(1, inbox.received().size(), "a failed drill is posted to the webhook");
    assertFalse(history().get(0).success(), "and its report is in the history");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aRestoreThatFailsFailsTheDrillAfterTearingDownWhatItMade(Kind kind) throws Exception {
    start(kind, new FaultInjection().failFrom("RestoreIntoTarget", 1,
        () -> ApplicationFailure.newNonRetryableFailure("the worker's disk is full", "RESTORE_FAILED")));
    DrillReport report = failedDrill("drill-restore", kind, ITEMS);
    assertEquals("failed", step(report, "restore").outcome(), report.toString());
    assertTrue(step(report, "restore").detail().contains("disk is full"), step(report, "restore").detail());
    assertFalse(names(report.steps()).contains("smoke-checks"), "nothing is checked after a failed restore");
    assertEquals("ok", step(report, "teardown-target").outcome(), "what create-target made is torn down");
    assertGone(kind, "drill-restore");
    assertEquals(null, report.rtoMet(), "a drill that restored nothing gives no RTO verdict");
  }

  private DrillReport drill(String id, Kind kind, SmokeCheck... smoke) {
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "app-drill", "app", null, null, null, kind.spec(),
        null, List.of(smoke), null, null);
    return client.newWorkflowStub(RestoreDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null,
        "test"));
  }

  private DrillReport failedDrill(String id, Kind kind, SmokeCheck... smoke) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> drill(id, kind, smoke));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DRILL_FAILED", failure.getType(), failure.getOriginalMessage());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());
    return report;
  }

  /** The drill's target is gone: no file, no running mariadbd in its folder, no database on the drill server. */
  private void assertGone(Kind kind, String workflowId) {
    ThrowawayTarget t = Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
    assertEquals(kind.target, t.kind());
    if (t.dir() != null) {
      assertFalse(Files.exists(Path.of(t.dir())), "the throwaway " + t.kind() + " " + t.dir() + " is gone");
      assertFalse(Files.exists(Path.of(t.dir() + ".wal")), "and its WAL");
      List<String> running = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
          .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("mariadbd") && c.contains(t.dir()))
          .toList();
      assertEquals(List.of(), running, "a mariadbd of the drill still runs");
    }
    assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
        + t.name() + "'"), "no drill database is left on the server");
  }

  private List<DrillReport> history() {
    return client.newWorkflowStub(DrillHistoryWorkflow.class, options("history-" + System.nanoTime()))
        .history("app", 10);
  }

  private static StepRecord step(DrillReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError("no step " + name + " in " + report.steps()));
  }

  private static List<String> names(List<StepRecord> steps) {
    return steps.stream().map(StepRecord::name).toList();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
