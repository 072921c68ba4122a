package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.approval.ApprovalDecision;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.approval.PendingApproval;
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
 * Pre-migration backups against a real PostgreSQL database: a migration that drops a table and then fails is
 * rolled back from the verified backup once a listed approver chooses restore; answers from strangers, for
 * choices not offered, or a second time are handled as an on-call engineer would expect.
 */
class PreMigrationBackupWorkflowTest {
  /**
   * Drops orders and creates audit_log (both succeed), then adds a NOT NULL column without default to a table
   * with rows (fails).
   */
  private static final String BAD_MIGRATION = "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1"
      + " -c 'DROP TABLE orders' -c 'CREATE TABLE audit_log (id int)'"
      + " -c 'ALTER TABLE users ADD COLUMN tier text NOT NULL'";
  private static PgCluster pg;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookInbox inbox;
  private String db;

  @BeforeAll
  static void cluster() {
    pg = PgCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    pg.close();
  }

  @BeforeEach
  void start() throws Exception {
    db = "app_" + Long.toHexString(System.nanoTime());
    pg.createDatabase(db);
    pg.exec(db, """
        create table users (id int primary key, email text not null);
        create table orders (id int primary key, user_id int references users(id), total numeric);
        insert into users select g, 'u' || g || '@example.com' from generate_series(1, 500) g;
        insert into orders select g, 1 + g % 500, g * 1.5 from generate_series(1, 2000) g;
        """);
    inbox = new WebhookInbox();
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get()).webhook(inbox.url());
    Files.writeString(dir.resolve("pg-password"), pg.password());
    home.database("app", "{ engine: postgres, url: \"" + pg.url(db) + "\", password: file:pg-password,"
        + " repository: local }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    inbox.close();
  }

  @Test
  void aGoodMigrationRunsBehindAVerifiedBackup() {
    PreMigrationResult r = run("migrate-ok", "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1"
        + " -c 'ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT $$free$$'", null);
    assertEquals(PreMigrationResult.MIGRATED, r.outcome());
    assertNotNull(r.backupId());
    assertEquals("500", pg.exec(db, "select count(*) from users where tier = 'free'"));
  }

  @Test
  void aFailedMigrationWaitsForAnApproverAndRestoresTheBackup() {
    WorkflowStub stub = start("migrate-bad", BAD_MIGRATION,
        new ApprovalPolicy(List.of("alice", "bob"), "15m", "2h", "wait"));
    PendingApproval pending = awaitPending(stub);
    assertEquals("await-decision", pending.step());
    assertEquals(List.of("restore", "abort"), pending.choices());
    assertTrue(pending.question().contains("NOT NULL"), pending.question());
    assertEquals("0", pg.exec(db, "select count(*) from pg_tables where tablename = 'orders'"),
        "the half-applied migration dropped orders");

    WorkflowUpdateException stranger = assertThrows(WorkflowUpdateException.class,
        () -> stub.update("approve", ApprovalOutcome.class, new ApprovalDecision("restore", "mallory", "why not")));
    assertTrue(stranger.getCause().getMessage().contains("'mallory' may not answer await-decision: approvers are"
        + " alice, bob"), stranger.getCause().getMessage());
    WorkflowUpdateException badChoice = assertThrows(WorkflowUpdateException.class,
        () -> stub.update("approve", ApprovalOutcome.class, new ApprovalDecision("retry", "alice", "hm")));
    assertTrue(badChoice.getCause().getMessage().contains("'retry' is not a choice"), badChoice.getMessage());

    ApprovalOutcome first = stub.update("approve", ApprovalOutcome.class,
        new ApprovalDecision("restore", "alice", "orders is gone, put it back"));
    ApprovalOutcome second = stub.update("approve", ApprovalOutcome.class,
        new ApprovalDecision("abort", "bob", "late answer"));
    assertEquals(first, second, "the second answer gets the first one's outcome");
    assertEquals("alice", second.by());

    PreMigrationResult r = stub.getResult(PreMigrationResult.class);
    assertEquals(PreMigrationResult.RESTORED, r.outcome());
    assertEquals("restore", r.decision().choice());
    assertEquals("orders is gone, put it back", r.decision().reason());
    assertTrue(r.migrationError().contains("NOT NULL"), r.migrationError());
    assertEquals("2000", pg.exec(db, "select count(*) from orders"), "orders is back, every row");
    assertEquals("500", pg.exec(db, "select count(*) from users"));
    assertEquals("0", pg.exec(db, "select count(*) from information_schema.columns where column_name = 'tier'"));
    assertEquals(List.of("public.audit_log"), r.leftovers(),
        "what the failed migration made is not in the backup: named, and left for a person to judge");
    assertTrue(inbox.received().stream().anyMatch(b -> b.contains("waiting for approval")), inbox.received()
        .toString());
    String history = Histories.readable(client, "migrate-bad");
    assertTrue(history.contains("DATABASE_URL"), "a real history: the migrator's command is in it");
    assertFalse(history.contains(pg.password()), "the password the command got in DATABASE_URL is not");
    // premigration-1 is the same run recorded before list-relations existed; premigration-2 has its version.
    Histories.record(client, "migrate-bad", "premigration-2");
  }

  @Test
  void whileWaitingItRemindsThenEscalatesAndAbortKeepsTheDatabaseAsItIs() {
    WorkflowStub stub = start("migrate-remind", BAD_MIGRATION, new ApprovalPolicy(List.of(), "10m", "30m", "wait"));
    awaitPending(stub);
    env.sleep(Duration.ofMinutes(45));
    PendingApproval pending = awaitPending(stub);
    assertTrue(pending.escalated(), pending.toString());
    assertEquals(3, pending.reminders(), "at 10, 20 and 40 minutes; 30 was the escalation");
    List<String> posted = inbox.received();
    assertEquals(3, posted.stream().filter(b -> b.contains("reminder: still waiting")).count(), posted.toString());
    assertEquals(1, posted.stream().filter(b -> b.contains("ESCALATION")).count(), posted.toString());

    ApprovalOutcome rejected = stub.update("reject", ApprovalOutcome.class,
        new ApprovalDecision(null, "carol", "we roll forward with a fix instead"));
    assertEquals("abort", rejected.choice());
    PreMigrationResult r = stub.getResult(PreMigrationResult.class);
    assertEquals(PreMigrationResult.LEFT, r.outcome());
    assertFalse(r.decision().automatic());
    assertEquals("0", pg.exec(db, "select count(*) from pg_tables where tablename = 'orders'"),
        "abort leaves the database as the failed migration left it");
  }

  @Test
  void onTimeoutAbortAnswersItselfAndSaysSo() {
    WorkflowStub stub = start("migrate-timeout", BAD_MIGRATION, new ApprovalPolicy(List.of(), "1h", "2h", "abort"));
    awaitPending(stub);
    env.sleep(Duration.ofHours(3));
    PreMigrationResult r = stub.getResult(PreMigrationResult.class);
    assertEquals(PreMigrationResult.LEFT, r.outcome());
    assertTrue(r.decision().automatic());
    assertEquals("timeout", r.decision().by());
  }

  @Test
  void anAnswerWhenNothingWaitsIsRefused() {
    WorkflowStub stub = start("migrate-early", "sleep 5; exit 0", null);
    WorkflowUpdateException early = assertThrows(WorkflowUpdateException.class,
        () -> stub.update("approve", ApprovalOutcome.class, new ApprovalDecision(null, "alice", "eager")));
    assertTrue(early.getCause().getMessage().contains("nothing is waiting for approval"), early.getMessage());
    assertEquals(PreMigrationResult.MIGRATED, stub.getResult(PreMigrationResult.class).outcome());
  }

  private PreMigrationResult run(String id, String command, ApprovalPolicy approval) {
    return start(id, command, approval).getResult(PreMigrationResult.class);
  }

  private WorkflowStub start(String id, String command, ApprovalPolicy approval) {
    Runbook runbook = new Runbook(Runbook.KIND_PRE_MIGRATION_BACKUP, "app-pre-migration", "app", null, null, null,
        null, new MigratorSpec(MigratorSpec.COMMAND, null, command, null, null, null, null, "5m"), null, approval, null);
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
