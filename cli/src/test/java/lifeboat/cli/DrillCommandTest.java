package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.SampleSqlite;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.workflows.drill.DrillReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `lifeboat drill run` and `drill history` in this JVM, against an embedded server and a worker restoring a
 * real SQLite backup into a throwaway file: exit codes, the printed report, and the refusals before anything
 * starts.
 */
class DrillCommandTest {
  private static LifeboatHome home;
  private static LocalStack stack;
  private static Path runbooks;
  private static String backupId;

  @BeforeAll
  static void backUpNotes() throws Exception {
    home = LifeboatHome.create();
    home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db")))
        .sqlite("spare", SampleSqlite.create(home.dir().resolve("spare.db"))).writeConfig();
    stack = LocalStack.withWorker(home.config());
    runbooks = Files.createDirectories(home.dir().resolve("runbooks"));
    write("notes-drill.yaml", """
        kind: restore-drill
        database: notes
        restore: { backup: latest, rto: 5m }
        smoke:
          - name: notes exist
            sql: SELECT count(*) FROM notes
            expect: "= 1234"
          - name: every note has its author
            sql: SELECT count(*) FROM notes n LEFT JOIN authors a ON a.id = n.author_id WHERE a.id IS NULL
            expect: "= 0"
          - name: write and read back
            writeProbe: true
        """);
    write("notes-broken.yaml", """
        kind: restore-drill
        database: notes
        smoke:
          - name: notes exist
            sql: SELECT count(*) FROM notes
            expect: "> 0"
          - name: no notes at all
            sql: SELECT count(*) FROM notes
            expect: "= 0"
        """);
    write("notes-nightly.yaml", """
        kind: backup
        database: notes
        """);
    CliResult backup = InProcessCli.run("backup", "run", "notes", "--wait", "--address", stack.address());
    assertEquals(ExitCodes.OK, backup.exit(), backup.toString());
    backupId = backup.out().lines().filter(l -> l.startsWith("backup ")).findFirst()
        .orElseThrow(() -> new AssertionError(backup.toString())).split("[ :,]")[1];
  }

  @AfterAll
  static void stop() {
    Closing.all(stack, home);
  }

  private static void write(String name, String yaml) throws IOException {
    Files.writeString(runbooks.resolve(name), yaml);
  }

  private static CliResult drill(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("drill", "run"));
    args.addAll(List.of(more));
    args.addAll(List.of("--runbooks", runbooks.toString(), "--address", stack.address()));
    return InProcessCli.run(args.toArray(String[]::new));
  }

  @Test
  void aPassingDrillOfARunbookFilePrintsItsReportAndShowsInTheHistory() {
    CliResult r = drill(runbooks.resolve("notes-drill.yaml").toString());
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEquals("", r.err(), r.toString());
    assertTrue(r.out().contains("(restore-drill): PASSED in "), r.toString());
    assertTrue(r.out().contains("RTO met"), r.toString());
    assertTrue(r.out().contains("  backup " + backupId + " taken "), r.toString());
    assertTrue(r.out().contains("restored into file lifeboat_drill_"), r.toString());
    for (String step : List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target",
        "restore",
        "check-schema-version", "smoke-checks", "teardown-target")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + step + " ") && l.contains(" ok ")),
          step + " ok in:\n" + r);
    }
    assertFalse(r.out().contains("restore-globals"), "no globals for SQLite:\n" + r);
    assertFalse(r.out().contains("schema version"), "no schema version configured, none printed:\n" + r);
    assertTrue(r.out().contains("smoke ok     notes exist: 1234 (expect = 1234)"), r.toString());
    assertTrue(r.out().contains("smoke ok     every note has its author: 0 (expect = 0)"), r.toString());
    assertTrue(r.out().contains("smoke ok     write and read back"), r.toString());
    String workflowId = Outputs.workflowId(r);
    assertTrue(workflowId.startsWith("drill-notes-drill-"), workflowId);

    CliResult history = InProcessCli.run("drill", "history", "notes", "--address", stack.address());
    assertEquals(ExitCodes.OK, history.exit(), history.toString());
    assertTrue(history.out().lines().anyMatch(l -> l.contains(" ok ") && l.contains("RTO met")
        && l.contains("backup " + backupId)), history.toString());
    assertFalse(history.out().contains("no drills of"), history.toString());

    JsonNode reports = Outputs.json(InProcessCli.run("drill", "history", "notes", "--json", "--address",
        stack.address()));
    JsonNode report = Outputs.element(reports, "workflowId", workflowId);
    assertEquals("notes", report.get("database").asText());
    assertTrue(report.get("success").asBoolean(), report.toPrettyString());
    assertEquals(backupId, report.get("backupId").asText());
    assertEquals("ok", Outputs.element(report.get("steps"), "name", "smoke-checks").get("outcome").asText());
  }

  @Test
  void aFailingSmokeCheckExits1WithTheReportOnStdoutAndTheReasonOnStderr() {
    CliResult r = drill("notes-broken");
    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertTrue(r.out().contains("(restore-drill): FAILED in "), r.toString());
    assertTrue(r.out().contains("smoke ok     notes exist"), r.toString());
    assertTrue(r.out().contains("smoke FAILED no notes at all: 1234 (expect = 0)  expected = 0, got 1234"),
        r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  teardown-target ") && l.contains(" ok ")),
        "torn down even though it failed:\n" + r);
    assertTrue(r.out().contains("  failure: 1 smoke check failed: 'no notes at all'"), r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  smoke-checks ") && l.contains(" failed ")
        && l.contains("'no notes at all'")), "a check failed, so the step did:\n" + r);
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().startsWith("lifeboat: drill of notes failed: 1 smoke check failed: 'no notes at all'"),
        r.toString());

    CliResult history = InProcessCli.run("drill", "history", "notes", "--limit", "50", "--address", stack.address());
    assertEquals(ExitCodes.OK, history.exit(), history.toString());
    assertTrue(history.out().lines().anyMatch(l -> l.contains(" FAILED ") && l.contains("no notes at all")),
        history.toString());
  }

  /** A drill of a backup that does not exist restores nothing: no RTO verdict, no "null", text and JSON. */
  @Test
  void aDrillThatRestoredNothingPrintsNoRtoVerdictAndNoNull() {
    CliResult r = drill("notes-drill", "--backup", "20200101T000000.000Z-0000");
    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertTrue(r.out().contains("(restore-drill): FAILED in "), r.toString());
    assertTrue(r.out().contains(", no RTO verdict: nothing restored"), r.toString());
    assertTrue(r.out().contains("  no backup picked, nothing restored"), r.toString());
    assertFalse(r.out().contains("null") || r.out().contains("RTO met"), r.toString());
    String workflowId = Outputs.workflowId(r);

    CliResult history = InProcessCli.run("drill", "history", "notes", "--limit", "50", "--address", stack.address());
    assertTrue(history.out().lines().anyMatch(l -> l.contains(" FAILED ") && l.contains("no RTO verdict")
        && l.contains("20200101T000000.000Z-0000")), history.toString());
    JsonNode report = Outputs.element(Outputs.json(InProcessCli.run("drill", "history", "notes", "--limit", "50",
        "--json", "--address", stack.address())), "workflowId", workflowId);
    assertTrue(report.get("rtoMet").isNull(), report.toPrettyString());
    assertEquals(300.0, report.get("rtoSeconds").asDouble(), report.toPrettyString());
  }

  @Test
  void aRunbookOfAnotherKindIsExit2BeforeAnythingStarts() {
    CliResult r = drill("notes-nightly");
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertEquals("", r.out(), r.toString());
    assertEquals("lifeboat: runbook notes-nightly is a backup, not a restore-drill or restore-schema-push or pitr-drill",
        r.err().strip(), r.toString());
  }

  @Test
  void anUnknownRunbookIsExit2ListingTheValidOnes() {
    CliResult r = drill("notes-weekly");
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertEquals("", r.out(), r.toString());
    assertTrue(r.err().contains("no valid runbook named 'notes-weekly' in " + runbooks), r.toString());
    assertTrue(r.err().contains("(valid there: notes-broken, notes-drill, notes-nightly)"), r.toString());
  }

  @Test
  void aMissingRunbookFileIsExit2() {
    CliResult r = drill(runbooks.resolve("nope.yaml").toString());
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("no runbook file " + runbooks.resolve("nope.yaml")), r.toString());
  }

  @Test
  void noWaitPrintsTheWorkflowIdOnlyAndTheDrillRunsOn() {
    CliResult r = drill("notes-drill", "--no-wait", "--backup", backupId);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEquals(1, r.out().strip().lines().count(), r.toString());
    String id = Outputs.workflowId(r);
    assertEquals("started drill of notes: workflow " + id, r.out().strip());
    DrillReport report = WorkflowRuns.drillResult(stack.client(), id, Duration.ofMinutes(2));
    assertTrue(report.success(), report.toString());
    assertEquals(backupId, report.backupId());
    assertEquals("cli", report.trigger());
  }

  @Test
  void drillHistoryOfADatabaseWithoutDrillsSaysSoAndOfAnUnknownOneNamesTheConfiguredOnes() {
    CliResult r = InProcessCli.run("drill", "history", "spare", "--address", stack.address());
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    assertEquals("no drills of spare yet: run `lifeboat drill run <runbook>`", r.out().strip());

    CliResult unknown = InProcessCli.run("drill", "history", "nosuchdb", "--address", stack.address());
    assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("unknown database 'nosuchdb'"), unknown.toString());
    assertTrue(unknown.err().contains("configured databases: notes, spare"), unknown.toString());

    assertEquals(ExitCodes.INVALID_INPUT,
        InProcessCli.run("drill", "history", "../etc", "--address", stack.address()).exit());
  }
}
