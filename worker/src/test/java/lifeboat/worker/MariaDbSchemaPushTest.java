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
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.runbook.MigratorSpec;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgresDrillTest's restore-then-schema-push for a MariaDB backup taken one migration behind: into a throwaway
 * mariadbd on the worker, checked at the version its manifest records, brought to V3 by Flyway (flyway-mysql),
 * smoke-checked, torn down; and a migration that cannot apply fails the drill naming it, still tearing down.
 */
class MariaDbSchemaPushTest {
  private static final String V1 = """
      CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE) ENGINE=InnoDB;
      """;
  private static final String V2 = """
      CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL,
        FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
      """;
  private static final String V3 = "ALTER TABLE users ADD COLUMN tier VARCHAR(20) NOT NULL DEFAULT 'free';\n";
  private static MariaDbServer maria;
  @TempDir static Path shared;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void source() throws Exception {
    maria = MariaDbServer.start();
    maria.createDatabase("app");
    Path v1 = migrations(shared.resolve("v1"), V1);
    Flyway.configure().dataSource("jdbc:mariadb://127.0.0.1:" + maria.port() + "/app", "root", maria.password())
        .locations("filesystem:" + v1).load().migrate();
    maria.exec("app", "INSERT INTO users (email) SELECT concat('user', seq, '@example.com') FROM seq_1_to_1000");
  }

  @AfterAll
  static void stopSource() {
    maria.close();
  }

  @BeforeEach
  void start() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("maria-password"), maria.password());
    home.database("app", "{ engine: mariadb, url: \"" + maria.url("app") + "\", password: file:maria-password,"
        + " repository: local, schemaVersionQuery: \"select max(cast(version as unsigned))"
        + " from flyway_schema_history where success\" }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
    client.newWorkflowStub(BackupWorkflow.class, options("backup-app")).backup(new BackupRequest("app", null, null));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void anOldBackupRestoresIntoAThrowawayServerAndMigratesToTheCurrentSchema() throws Exception {
    DrillReport report = drill("push-ok", migrations(dir.resolve("current"), V1, V2, V3));
    assertTrue(report.success(), report.toString());
    assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target",
        "restore-globals", "restore", "check-schema-version", "migrate", "check-schema", "read-migrated-version",
        "smoke-checks", "teardown-target"), report.steps().stream().map(StepRecord::name).toList());
    assertEquals("1", report.backupSchemaVersion());
    assertEquals("1", report.restoredSchemaVersion(), "restored at the version its manifest records");
    assertEquals("3", report.migratedSchemaVersion(), "two migrations applied");
    assertEquals("1000", report.smoke().get(0).actual());
    assertTrue(report.smoke().stream().allMatch(s -> s.passed()), report.smoke().toString());
    assertFalse(Files.exists(Path.of(planned("push-ok").dir())), "the throwaway server is gone");
    assertNoServerRunsIn(planned("push-ok").dir());
    assertEquals("1", maria.exec("app", "SELECT max(version) FROM flyway_schema_history"), "the source is untouched");
    String history = Histories.readable(client, "push-ok");
    assertFalse(history.contains(maria.password()), "the database password in a drill-and-migrate history");
    assertFalse(history.contains(SharedKeys.get().passphrase()), "the key passphrase in a drill-and-migrate history");
    Histories.record(client, "push-ok", "drill-9");
  }

  @Test
  void aMigrationThatCannotApplyFailsTheDrillWithItsCauseAndStillTearsDown() throws Exception {
    Path broken = migrations(dir.resolve("broken"), V1, V2,
        "ALTER TABLE no_such_table ADD COLUMN tier VARCHAR(20) NOT NULL DEFAULT 'free';\n");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> drill("push-bad", broken));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());
    assertTrue(report.failure().contains("3"), "names the migration: " + report.failure());
    assertTrue(report.failure().contains("no_such_table"), "says what failed: " + report.failure());
    StepRecord teardown = report.steps().stream().filter(s -> s.name().equals("teardown-target")).findFirst()
        .orElseThrow();
    assertEquals("ok", teardown.outcome());
    assertFalse(Files.exists(Path.of(planned("push-bad").dir())), "the throwaway server is gone");
    assertNoServerRunsIn(planned("push-bad").dir());
  }

  /** No mariadbd whose data directory is inside the drill's folder is still running. */
  private static void assertNoServerRunsIn(String dir) {
    List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("mariadbd") && c.contains(dir)).toList();
    assertEquals(List.of(), left, "a mariadbd of the drill still runs");
  }

  private DrillReport drill(String id, Path migrations) {
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_SCHEMA_PUSH, "app-schema-push", "app", null, null, null,
        new RestoreSpec("latest", null, "cluster", null, null, 1, false, "30m"),
        new MigratorSpec(MigratorSpec.FLYWAY, List.of(migrations.toString()), null, null, null, null, null, null),
        List.of(new SmokeCheck("users", "SELECT count(*) FROM users", "= 1000", null),
            new SmokeCheck("no orphan orders", "SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id"
                + " WHERE u.id IS NULL", "= 0", null),
            new SmokeCheck("write and read back", null, null, true)),
        null, null);
    return client.newWorkflowStub(RestoreDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null,
        "test"));
  }

  /** A folder of V1__…, V2__… files with these bodies, in order. */
  private static Path migrations(Path folder, String... bodies) throws Exception {
    Files.createDirectories(folder);
    for (int i = 0; i < bodies.length; i++) {
      Files.writeString(folder.resolve("V" + (i + 1) + "__step" + (i + 1) + ".sql"), bodies[i]);
    }
    return folder;
  }

  private ThrowawayTarget planned(String workflowId) {
    return Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
