package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.workflows.premigration.PreMigrationResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `lifeboat migrate run`, `pending`, `status`, `approve` and `reject` in this JVM, against an embedded server
 * and a worker migrating real PostgreSQL databases: a migration that drops a table, creates one and then fails
 * waits for a listed approver, who restores the pre-migration backup or leaves the database as it is; the
 * approver's terminal, and `status` afterwards, say what that came to, down to the table the restore kept.
 */
class ApprovalCommandsTest {
  /**
   * Drops orders and creates new_table (both succeed), then adds a NOT NULL column without default to a table
   * with rows (fails).
   */
  private static final String BAD_MIGRATION = "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1"
      + " -c 'DROP TABLE orders' -c 'CREATE TABLE new_table (id int)'"
      + " -c 'ALTER TABLE users ADD COLUMN x text NOT NULL'";
  private static final String LEFT_BEHIND = "left behind by the failed migration (not dropped): public.new_table"
      + " - drop it by hand if it should go";
  private static PgCluster pg;
  private static LifeboatHome home;
  private static LocalStack stack;
  private static Path runbooks;

  @BeforeAll
  static void start() throws IOException {
    pg = PgCluster.start();
    home = LifeboatHome.create();
    for (String db : new String[] {"app", "shop"}) {
      pg.createDatabase(db);
      pg.exec(db, """
          create table users (id int primary key, email text not null);
          create table orders (id int primary key, user_id int references users(id), total numeric);
          insert into users select g, 'u' || g || '@example.com' from generate_series(1, 300) g;
          insert into orders select g, 1 + g % 300, g * 1.5 from generate_series(1, 1500) g;
          """);
      home.postgres(db, pg.url(db), pg.password());
      runbook(db + "-pre-migration", db);
    }
    home.writeConfig();
    stack = LocalStack.withWorker(home.config());
  }

  private static void runbook(String name, String database) throws IOException {
    if (runbooks == null) {
      runbooks = Files.createDirectories(home.dir().resolve("runbooks"));
    }
    Files.writeString(runbooks.resolve(name + ".yaml"), "kind: pre-migration-backup\n"
        + "database: " + database + "\n"
        + "migrator:\n"
        + "  type: command\n"
        + "  timeout: 5m\n"
        + "  command: |-\n"
        + "    " + BAD_MIGRATION + "\n"
        + "approval: { approvers: [alice, bob], remindEvery: 1h, timeout: 4h }\n");
  }

  @AfterAll
  static void stop() {
    Closing.all(stack, home, pg);
  }

  private static CliResult lifeboat(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--address";
    all[args.length + 1] = stack.address();
    return InProcessCli.run(all);
  }

  /** `migrate run` until the workflow waits for a person: exit 3 and the command to answer with. */
  private static String migrateUntilItWaits(String database) {
    CliResult r = lifeboat("migrate", "run", database + "-pre-migration", "--runbooks", runbooks.toString());
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
    String id = Outputs.workflowId(r);
    assertTrue(r.out().startsWith("started pre-migration backup of " + database + ": workflow " + id), r.toString());
    assertTrue(r.out().contains("WAITING FOR APPROVAL: the migration of " + database + " failed: "), r.toString());
    assertTrue(r.out().contains("NOT NULL"), "the migration error is in the question:\n" + r);
    assertTrue(r.out().contains("answer with: lifeboat approve " + id
        + " --choice restore|abort --by NAME --reason TEXT"), r.toString());
    assertEquals("", r.err(), r.toString());
    assertEquals("0", pg.exec(database, "select count(*) from pg_tables where tablename = 'orders'"),
        "the half-applied migration dropped orders");
    return id;
  }

  private static PreMigrationResult result(String id) {
    try {
      return stack.client().newUntypedWorkflowStub(id).getResult(2, TimeUnit.MINUTES, PreMigrationResult.class);
    } catch (TimeoutException e) {
      throw new AssertionError(id + " did not finish", e);
    }
  }

  @Test
  void aListedApproverRestoresThePreMigrationBackupThroughTheCommands() {
    String id = migrateUntilItWaits("app");

    CliResult pending = lifeboat("pending");
    assertEquals(ExitCodes.OK, pending.exit(), pending.toString());
    assertEquals(List.of(id + "  PreMigrationBackupWorkflow  WAITING FOR APPROVAL at await-decision for"),
        pending.out().lines().filter(l -> l.startsWith(id + "  ")).map(l -> l.replaceAll(" for .*", " for"))
            .toList(), "listed once, under its own type:\n" + pending);
    assertTrue(pending.out().contains("  the migration of app failed: "), pending.toString());
    assertTrue(pending.out().contains("  choices: restore, abort; approvers: alice, bob"), pending.toString());
    JsonNode waiting = Outputs.json(lifeboat("pending", "--json"));
    assertEquals(1, waiting.size(), waiting.toPrettyString());
    JsonNode asks = Outputs.element(waiting, "workflowId", id);
    assertEquals("PreMigrationBackupWorkflow", asks.get("type").asText());
    assertEquals("await-decision", asks.get("pending").get("step").asText());
    assertEquals("[\"restore\",\"abort\"]", asks.get("pending").get("choices").toString());
    assertEquals("[\"alice\",\"bob\"]", asks.get("pending").get("approvers").toString());
    assertTrue(asks.get("pending").get("question").asText().startsWith("the migration of app failed: "), asks.toString());

    CliResult status = lifeboat("status", id);
    assertEquals(ExitCodes.OK, status.exit(), status.toString());
    assertTrue(status.out().contains(">>> WAITING FOR APPROVAL at await-decision since "), status.toString());
    JsonNode statusJson = Outputs.json(lifeboat("status", id, "--json"));
    assertEquals("running", statusJson.get("status").asText());
    assertEquals("await-decision", statusJson.get("waitingForApproval").get("step").asText());
    assertEquals("ok", Outputs.element(statusJson.get("progress").get("steps"), "name", "backup").get("outcome")
        .asText(), statusJson.toPrettyString());
    assertTrue(status.out().contains(">>> the migration of app failed: "), status.toString());
    assertTrue(status.out().contains(">>> lifeboat approve " + id + " --choice restore|abort --by NAME"), status.toString());
    assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith("backup ") && l.contains(" ok ")),
        status.toString());
    assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith("migrate ") && l.contains(" failed ")),
        status.toString());

    CliResult stranger = lifeboat("approve", id, "--choice", "restore", "--by", "mallory", "--reason", "x");
    assertEquals(ExitCodes.INVALID_INPUT, stranger.exit(), stranger.toString());
    assertEquals("lifeboat: refused by " + id + ": 'mallory' may not answer await-decision: approvers are alice, bob",
        stranger.err().strip(), stranger.toString());
    CliResult badChoice = lifeboat("approve", id, "--choice", "retry", "--by", "alice", "--reason", "x");
    assertEquals(ExitCodes.INVALID_INPUT, badChoice.exit(), badChoice.toString());
    assertTrue(badChoice.err().contains("'retry' is not a choice at await-decision: choose one of restore, abort"),
        badChoice.toString());
    CliResult noReason = lifeboat("approve", id, "--by", "alice");
    assertEquals(ExitCodes.INVALID_INPUT, noReason.exit(), noReason.toString());
    assertTrue(noReason.err().contains("--reason"), noReason.toString());

    // Two approvers answer at once: both commands wait for the restore and print what it came to.
    CompletableFuture<CliResult> fromBob = CompletableFuture.supplyAsync(
        () -> lifeboat("approve", id, "--choice", "restore", "--by", "bob", "--reason", "orders is gone"));
    CliResult alices = lifeboat("approve", id, "--choice", "restore", "--by", "alice", "--reason", "orders is gone");
    CliResult bobs = fromBob.join();
    PreMigrationResult r = result(id);
    assertEquals(PreMigrationResult.RESTORED, r.outcome());
    assertEquals("orders is gone", r.decision().reason());
    String chosenBy = r.decision().by();
    for (CliResult approved : List.of(alices, bobs)) {
      assertEquals(ExitCodes.OK, approved.exit(), approved.toString());
      assertTrue(approved.out().lines().findFirst().orElseThrow().matches("(recorded|already answered):"
          + " await-decision -> restore by " + chosenBy + " \\(orders is gone\\) after waiting .*"),
          approved.toString());
      assertTrue(approved.out().contains("\nthe migration of app failed: migrator command `psql"), approved.toString());
      assertTrue(approved.out().endsWith("\nrestored app from pre-migration backup " + r.backupId() + ", as chosen by "
          + chosenBy + ": orders is gone\n" + LEFT_BEHIND + "\n"), approved.toString());
      assertEquals("", approved.err(), approved.toString());
    }
    assertEquals(1, Stream.of(alices, bobs).filter(a -> a.out().startsWith("recorded: ")).count(),
        "one answer counts, the other is told so:\n" + alices + "\n" + bobs);
    assertEquals(List.of("public.new_table"), r.leftovers());
    assertEquals("1500", pg.exec("app", "select count(*) from orders"), "orders is back, every row");
    assertEquals("0", pg.exec("app", "select count(*) from information_schema.columns where table_name = 'users'"
        + " and column_name = 'x'"));
    assertEquals("1", pg.exec("app", "select count(*) from pg_tables where tablename = 'new_table'"),
        "Lifeboat never drops what it did not restore");

    CliResult after = lifeboat("pending");
    assertEquals(ExitCodes.OK, after.exit(), after.toString());
    assertFalse(after.out().contains(id), after.toString());
    assertEquals("nothing is waiting for approval", after.out().strip(), after.toString());
    CliResult late = lifeboat("approve", id, "--by", "alice", "--reason", "late");
    assertEquals(ExitCodes.UNEXPECTED_STATE, late.exit(), late.toString());
    assertEquals("lifeboat: " + id + " has already finished (completed): nothing waits for an answer; see"
        + " `lifeboat status " + id + "`", late.err().strip(), late.toString());
    CliResult finished = lifeboat("status", id);
    assertEquals(ExitCodes.OK, finished.exit(), finished.toString());
    assertFalse(finished.out().contains(">>>"), finished.toString());
    assertTrue(finished.out().lines().anyMatch(l -> l.trim().startsWith("restore-pre-migration-backup ")
        && l.contains(" ok ")), finished.toString());
    assertTrue(finished.out().endsWith("\nrestored app from pre-migration backup " + r.backupId() + ", as chosen by "
        + chosenBy + ": orders is gone\n" + LEFT_BEHIND + "\n"), "the result, below the steps:\n" + finished);
  }

  @Test
  void rejectLeavesTheDatabaseAsTheMigrationLeftIt() {
    String id = migrateUntilItWaits("shop");
    CliResult rejected = lifeboat("reject", id, "--by", "alice", "--reason", "we roll forward with a fix");
    assertEquals(ExitCodes.OK, rejected.exit(), rejected.toString());
    assertTrue(rejected.out().startsWith("recorded: await-decision -> abort by alice (we roll forward with a fix)"),
        rejected.toString());

    PreMigrationResult r = result(id);
    String left = "\nshop left as the failed migration left it (backup " + r.backupId() + " not restored), as chosen"
        + " by alice: we roll forward with a fix\n";
    assertTrue(rejected.out().endsWith(left), rejected.toString());
    CliResult status = lifeboat("status", id);
    assertEquals(ExitCodes.OK, status.exit(), status.toString());
    assertTrue(status.out().endsWith(left), status.toString());
    assertEquals(PreMigrationResult.LEFT, r.outcome());
    assertEquals("abort", r.decision().choice());
    assertEquals("0", pg.exec("shop", "select count(*) from pg_tables where tablename = 'orders'"),
        "abort leaves the database as the failed migration left it");
    assertEquals("300", pg.exec("shop", "select count(*) from users"));
  }

  @Test
  void answeringAWorkflowThatDoesNotExistIsExit3() {
    CliResult r = lifeboat("approve", "migrate-app-nosuch", "--by", "alice", "--reason", "x");
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertEquals("lifeboat: no such workflow: migrate-app-nosuch", r.err().strip(), r.toString());
    CliResult reject = lifeboat("reject", "migrate-app-nosuch", "--by", "alice", "--reason", "x");
    assertEquals(ExitCodes.UNEXPECTED_STATE, reject.exit(), reject.toString());
  }

  @Test
  void migrateRunRefusesARunbookOfAnotherKind() throws IOException {
    Path drill = Files.writeString(home.dir().resolve("app-drill.yaml"), "kind: restore-drill\ndatabase: app\n");
    CliResult r = lifeboat("migrate", "run", drill.toString());
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertEquals("lifeboat: runbook app-drill is a restore-drill, not a pre-migration-backup", r.err().strip());
    assertEquals("", r.out(), r.toString());
  }
}
