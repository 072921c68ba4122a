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
import lifeboat.activities.testing.PgCluster;
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
 * Restore-then-schema-push of a real PostgreSQL backup taken two migrations behind the shipped ones: into a
 * fresh initdb cluster, roles first (the tables belong to a role only the source server has), checked at the
 * version its manifest records, brought to V3 by Flyway from runbooks/migrations/app, smoke-checked, torn down.
 */
class PostgresDrillTest {
  private static final Path MIGRATIONS = Path.of("../runbooks/migrations/app").toAbsolutePath().normalize();
  private static PgCluster pg;
  @TempDir static Path shared;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void source() throws Exception {
    pg = PgCluster.start();
    pg.createDatabase("app");
    Path v1 = Files.createDirectories(shared.resolve("v1"));
    Files.copy(MIGRATIONS.resolve("V1__users.sql"), v1.resolve("V1__users.sql"));
    Flyway.configure().dataSource(pg.jdbc("app"), pg.user(), pg.password()).locations("filesystem:" + v1).load()
        .migrate();
    pg.exec("app", """
        create role app_owner nologin;
        create role app_reader nologin;
        alter table users owner to app_owner;
        grant select on users to app_reader;
        insert into users (email) select 'user' || g || '@example.com' from generate_series(1, 1000) g;
        """);
  }

  @AfterAll
  static void stopSource() {
    pg.close();
  }

  @BeforeEach
  void start() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("pg-password"), pg.password());
    home.database("app", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local, schemaVersionQuery: \"select max(version) from flyway_schema_history"
        + " where success\" }");
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
  void anOldBackupRestoresWithItsRolesAndMigratesToTheCurrentSchema() {
    DrillReport report = drill("push-ok", MIGRATIONS);
    assertTrue(report.success(), report.toString());
    assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target",
        "restore-globals", "restore", "check-schema-version", "migrate", "check-schema", "read-migrated-version", "smoke-checks",
        "teardown-target"), report.steps().stream().map(StepRecord::name).toList());
    assertEquals("1", report.backupSchemaVersion());
    assertEquals("1", report.restoredSchemaVersion(), "restored at the version its manifest records");
    assertEquals("3", report.migratedSchemaVersion(), "two migrations applied");
    assertEquals("1000", report.smoke().get(0).actual());
    assertTrue(report.smoke().stream().allMatch(s -> s.passed()), report.smoke().toString());
    assertFalse(Files.exists(Path.of(planned("push-ok").dir())), "the throwaway cluster is gone");
    assertEquals("1", pg.exec("app", "select max(version) from flyway_schema_history"), "the source is untouched");
    String history = Histories.readable(client, "push-ok");
    assertFalse(history.contains(pg.password()), "the database password in a drill-and-migrate history");
    assertFalse(history.contains(SharedKeys.get().passphrase()), "the key passphrase in a drill-and-migrate history");
    Histories.record(client, "push-ok", "drill-8");
  }

  @Test
  void aMigrationThatCannotApplyFailsTheDrillWithItsCauseAndStillTearsDown() throws Exception {
    Path broken = Files.createTempDirectory(dir, "migrations");
    try (var files = Files.list(MIGRATIONS)) {
      for (Path f : files.toList()) {
        Files.copy(f, broken.resolve(f.getFileName()));
      }
    }
    Files.writeString(broken.resolve("V4__users_tier.sql"), "ALTER TABLE users ADD COLUMN tier text NOT NULL;\n");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> drill("push-bad", broken));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());
    assertTrue(report.failure().contains("NOT NULL column added without a default"), report.failure());
    assertTrue(report.failure().contains("4"), "names the migration: " + report.failure());
    StepRecord teardown = report.steps().stream().filter(s -> s.name().equals("teardown-target")).findFirst()
        .orElseThrow();
    assertEquals("ok", teardown.outcome());
    assertFalse(Files.exists(Path.of(planned("push-bad").dir())));
  }

  private DrillReport drill(String id, Path migrations) {
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_SCHEMA_PUSH, "app-schema-push", "app", null, null, null,
        new RestoreSpec("latest", null, "cluster", null, null, 2, false, "30m"),
        new MigratorSpec(MigratorSpec.FLYWAY, List.of(migrations.toString()), null, null, null, null, null, null),
        List.of(new SmokeCheck("users", "select count(*) from users", "= 1000", null),
            new SmokeCheck("no orphan orders", "select count(*) from orders o left join users u on u.id = o.user_id"
                + " where u.id is null", "= 0", null),
            new SmokeCheck("write and read back", null, null, true)),
        null, null);
    return client.newWorkflowStub(RestoreDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null,
        "test"));
  }

  /** The throwaway target a drill planned, as its PlanThrowawayTarget step returned it. */
  private ThrowawayTarget planned(String workflowId) {
    return Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
