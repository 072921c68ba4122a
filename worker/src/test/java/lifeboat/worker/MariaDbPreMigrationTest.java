package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.migration.MigrationActivitiesImpl;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.approval.ApprovalDecision;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.approval.PendingApproval;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.premigration.PreMigrationBackupWorkflow;
import lifeboat.workflows.premigration.PreMigrationRequest;
import lifeboat.workflows.premigration.PreMigrationResult;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.MigratorSpec;
import lifeboat.workflows.runbook.Runbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-migration backups on a real MariaDB server, with Flyway as the migrator: a good migration runs behind a
 * verified backup; a failed one that MariaDB half-applied (its DDL commits statement by statement: a table
 * dropped, one created, then an error) is rolled back by a clean restore of that backup, after which the
 * database holds exactly what it held before: the same relations, the same rows (CHECKSUM TABLE).
 */
class MariaDbPreMigrationTest {
  private static final String V1 = """
      CREATE TABLE items (id int PRIMARY KEY, name varchar(100) NOT NULL, price int NOT NULL) ENGINE=InnoDB;
      CREATE TABLE orders (id int PRIMARY KEY, item_id int NOT NULL, FOREIGN KEY (item_id) REFERENCES items (id))
        ENGINE=InnoDB;
      CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 100;
      CREATE TRIGGER items_price BEFORE INSERT ON items FOR EACH ROW SET NEW.price = greatest(NEW.price, 0);
      INSERT INTO items SELECT seq, concat('item ', seq), seq * 3 FROM seq_1_to_500;
      INSERT INTO orders SELECT seq, 1 + seq % 500 FROM seq_1_to_2000;
      """;
  /** Drops orders and creates audit_log (both stay: MariaDB commits DDL), then indexes a missing column. */
  private static final String BAD_V2 = """
      DROP TABLE orders;
      CREATE TABLE audit_log (id int PRIMARY KEY);
      CREATE INDEX items_colour ON items (colour);
      """;
  private static final String GOOD_V2 = "ALTER TABLE items ADD COLUMN tier varchar(10) NOT NULL DEFAULT 'free';\n";
  private static MariaDbServer maria;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookInbox inbox;
  private String db;

  @BeforeAll
  static void server() {
    maria = MariaDbServer.start();
  }

  @AfterAll
  static void stopServer() {
    maria.close();
  }

  @BeforeEach
  void start() throws Exception {
    db = "app_" + Long.toHexString(System.nanoTime());
    maria.createDatabase(db);
    inbox = new WebhookInbox();
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get()).webhook(inbox.url());
    Files.writeString(dir.resolve("maria-password"), maria.password());
    home.database("app", "{ engine: mariadb, url: \"" + maria.url(db) + "\", password: file:maria-password,"
        + " repository: local }");
    Workspace workspace = Workspace.fromFile(home.config());
    // the application's schema as Flyway made it: V1 applied, so the pre-migration's Flyway continues from it
    new MigrationActivitiesImpl(workspace).migrate(DbTarget.configured("app"), flyway(folder("v1", V1)), () -> { });
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), workspace);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    inbox.close();
  }

  @Test
  void aGoodFlywayMigrationRunsBehindAVerifiedBackup() throws Exception {
    WorkflowStub stub = start("maria-ok", flyway(folder("v1", V1), folder("v2-good", GOOD_V2)), null);
    PreMigrationResult r = stub.getResult(PreMigrationResult.class);
    assertEquals(PreMigrationResult.MIGRATED, r.outcome());
    assertNotNull(r.backupId());
    assertEquals(1, r.migration().applied(), r.migration().output());
    assertEquals("500", maria.exec(db, "SELECT count(*) FROM items WHERE tier = 'free'"));
  }

  @Test
  void aHalfAppliedFlywayMigrationIsRolledBackToExactlyTheBackup() throws Exception {
    List<String> relationsBefore = relations();
    String itemsBefore = checksum("items");
    String ordersBefore = checksum("orders");
    WorkflowStub stub = start("maria-bad", flyway(folder("v1", V1), folder("v2-bad", BAD_V2)),
        new ApprovalPolicy(List.of("alice"), "15m", "2h", "wait"));
    PendingApproval pending = awaitPending(stub);
    assertTrue(pending.question().contains("colour"), pending.question());
    assertEquals("0", maria.exec(db, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'orders'"), "the half-applied migration dropped orders");
    assertTrue(relations().contains("audit_log"), "and created audit_log");

    stub.update("approve", ApprovalOutcome.class, new ApprovalDecision("restore", "alice", "orders is gone"));
    PreMigrationResult r = stub.getResult(PreMigrationResult.class);
    assertEquals(PreMigrationResult.RESTORED, r.outcome());
    assertTrue(r.migrationError().contains("colour"), r.migrationError());
    assertEquals(List.of(), r.leftovers(), "the clean restore emptied the database first: audit_log is gone too");
    assertEquals(relationsBefore, relations());
    assertEquals(itemsBefore, checksum("items"));
    assertEquals(ordersBefore, checksum("orders"), "orders is back, every row");
    assertEquals("1", maria.exec(db, "SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA ="
        + " DATABASE() AND TRIGGER_NAME = 'items_price'"), "and the trigger");
    assertEquals("1", maria.exec(db, "SELECT max(version) FROM flyway_schema_history"),
        "Flyway's record of the failed V2 went with the rollback: it can run again once fixed");
    assertFalse(Histories.readable(client, "maria-bad").contains(maria.password()));
  }

  private List<String> relations() {
    return List.of(maria.exec(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " ORDER BY 1").split("\n"));
  }

  private String checksum(String table) {
    return maria.exec(db, "CHECKSUM TABLE " + table + " EXTENDED");
  }

  private Path folder(String name, String sql) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("migrations").resolve(name));
    String version = name.startsWith("v1") ? "V1" : "V2";
    Files.writeString(folder.resolve(version + "__" + name.replace('-', '_') + ".sql"), sql);
    return folder;
  }

  private static MigratorSpec flyway(Path... folders) {
    return new MigratorSpec(MigratorSpec.FLYWAY, java.util.Arrays.stream(folders).map(Path::toString).toList(),
        null, null, null, null, null, "5m");
  }

  private WorkflowStub start(String id, MigratorSpec migrator, ApprovalPolicy approval) {
    Runbook runbook = new Runbook(Runbook.KIND_PRE_MIGRATION_BACKUP, "app-pre-migration", "app", null, null, null,
        null, migrator, null, approval, null);
    PreMigrationBackupWorkflow wf = client.newWorkflowStub(PreMigrationBackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build());
    WorkflowClient.start(wf::run, new PreMigrationRequest(runbook));
    return client.newUntypedWorkflowStub(id);
  }

  /** Polls the query in real time: the backup and the migration run real tools first. */
  private static PendingApproval awaitPending(WorkflowStub stub) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      PendingApproval p = stub.query("pendingApproval", PendingApproval.class);
      if (p != null) {
        return p;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the workflow never asked for approval");
  }
}
