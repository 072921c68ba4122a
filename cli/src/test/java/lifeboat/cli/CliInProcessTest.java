package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.SampleSqlite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands run in this JVM through Main.commandLine(), against an embedded server and worker where needed. */
class CliInProcessTest {
  private static LifeboatHome home;
  private static LocalStack stack;
  private static Path notes;

  @BeforeAll
  static void startStack() throws Exception {
    home = LifeboatHome.create();
    notes = SampleSqlite.create(home.dir().resolve("notes.db"));
    home.sqlite("notes", notes).writeConfig();
    stack = LocalStack.withWorker(home.config());
  }

  @AfterAll
  static void stopStack() {
    Closing.all(stack, home);
  }

  private static String closedAddress() {
    return "127.0.0.1:" + Ports.free();
  }

  /** Exit 2, one line on stderr naming the problem, nothing on stdout. */
  private static CliResult assertInvalid(String expected, String... args) {
    CliResult r = InProcessCli.run(args);
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().contains(expected), r.toString());
    assertEquals("", r.out(), r.toString());
    return r;
  }

  @Test
  void restoreRefusesAPasswordInTheTargetUrlWithoutEchoingIt() {
    CliResult r = assertInvalid("--to must not contain a password",
        "restore", "notes", "--to", "postgresql://u:secret@h/db", "--address", closedAddress());
    assertFalse(r.all().contains("secret"), r.toString());
  }

  @Test
  void restoreRefusesALiteralTargetPassword() {
    CliResult r = assertInvalid("--to-password takes a reference",
        "restore", "notes", "--to", "postgresql://u@h/db", "--to-password", "plaintext", "--address", closedAddress());
    assertFalse(r.all().contains("plaintext"), r.toString());
  }

  /** --to-time with --to (MariaDB's binlog replay): a moment with its offset, whole databases, no --to-dir options. */
  @Test
  void restoreToAMomentWithToChecksItsOptionsBeforeStartingAnything() {
    String side = "mariadb://u@h/side";
    assertInvalid("--to-time yesterday is not a moment with an offset",
        "restore", "app", "--to", side, "--to-time", "yesterday", "--address", closedAddress());
    assertInvalid("--to-time 2026-12-01 14:32:07 is not a moment with an offset",
        "restore", "app", "--to", side, "--to-time", "2026-12-01 14:32:07", "--address", closedAddress());
    assertInvalid("are for --to-dir",
        "restore", "app", "--to", side, "--to-lsn", "0/3000000", "--address", closedAddress());
    assertInvalid("--to-time restores the whole database",
        "restore", "app", "--to", side, "--to-time", "2026-12-01T14:32:07Z", "--table", "orders", "--address",
        closedAddress());
  }

  @Test
  void restoreRefusesPartialOptionsThatExcludeEachOther() {
    String pg = "postgresql://u@h/side";
    assertInvalid("--schema-only and --data-only exclude each other",
        "restore", "app", "--to", pg, "--schema-only", "--data-only", "--address", closedAddress());
    assertInvalid("--clean cannot be combined with --data-only",
        "restore", "app", "--to", pg, "--data-only", "--clean", "--address", closedAddress());
    assertInvalid("are for PostgreSQL backups",
        "restore", "notes", "--to", "/tmp/side.db", "--table", "notes", "--address", closedAddress());
    assertInvalid("--globals is for PostgreSQL and MariaDB backups",
        "restore", "notes", "--to", "/tmp/side.db", "--globals", "--address", closedAddress());
    assertInvalid("--no-owner is for PostgreSQL backups",
        "restore", "notes", "--to", "mariadb://u@h/side", "--no-owner", "--address", closedAddress());
    assertInvalid("--table takes name or schema.name",
        "restore", "app", "--to", pg, "--table", "public.", "--address", closedAddress());
  }

  @Test
  void aPointInTimeRestoreRefusesOptionsThatDoNotFitIt() {
    assertInvalid("name a target: --to URL-or-file", "restore", "app", "--address", closedAddress());
    assertInvalid("--to-dir needs --port P", "restore", "app", "--to-dir", "/tmp/x", "--address", closedAddress());
    assertInvalid("--to and --to-dir exclude each other", "restore", "app", "--to-dir", "/tmp/x", "--port", "5999",
        "--to", "postgresql://u@h/db", "--address", closedAddress());
    assertInvalid("--to-time, --to-lsn, --to-name, --to-xid and --immediate exclude each other", "restore", "app", "--to-dir", "/tmp/x",
        "--port", "5999", "--to-lsn", "0/3000000", "--immediate", "--address", closedAddress());
    assertInvalid("are for dump restores (--to), not --to-dir", "restore", "app", "--to-dir", "/tmp/x", "--port",
        "5999", "--clean", "--address", closedAddress());
  }

  @Test
  void restoreAcceptsTablesGlobalsAndNoOwnerTogether() {
    // Valid options get as far as Temporal: exit 3 (unreachable), not 2.
    CliResult r = InProcessCli.run("restore", "app", "--to", "postgresql://u@h/side", "--table", "users",
        "--table", "orders", "--no-owner", "--globals", "--address", closedAddress());
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
  }

  @Test
  void badDatabaseNamesAreRefused() {
    assertInvalid("not a database name: '../etc'", "backup", "run", "../etc", "--address", closedAddress());
    assertInvalid("not a database name", "backup", "list", "a b", "--address", closedAddress());
    assertInvalid("not a database name", "restore", "a/b", "--to", "/tmp/x.db", "--address", closedAddress());
  }

  @Test
  void keysGenerateNeedsAPassphraseDecision(@TempDir Path dir) {
    assertInvalid("give exactly one of --passphrase-env NAME or --no-passphrase",
        "keys", "generate", "--out", dir.toString());
    assertInvalid("give exactly one of", "keys", "generate", "--out", dir.toString(),
        "--no-passphrase", "--passphrase-env", "HOME");
    assertFalse(Files.exists(dir.resolve("backup.pub.asc")));
  }

  @Test
  void unreachableTemporalIsExit3WithAHintAndNoStackUnlessVerbose() {
    String address = closedAddress();
    CliResult r = InProcessCli.run("backup", "run", "x", "--address", address);
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
    assertTrue(r.err().contains("cannot reach the Temporal server"), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertFalse(r.err().contains("\tat "), r.toString());

    CliResult verbose = InProcessCli.run("backup", "run", "x", "--address", address, "--verbose");
    assertEquals(ExitCodes.UNEXPECTED_STATE, verbose.exit(), verbose.toString());
    assertTrue(verbose.err().contains("cannot reach the Temporal server"), verbose.toString());
    assertTrue(verbose.err().contains("\tat "), verbose.toString());
  }

  @Test
  void generatedKeysImportIntoGpgAndAreNeverOverwritten(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys");
    CliResult r = InProcessCli.run("keys", "generate", "--out", keys.toString(), "--no-passphrase");
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    String fingerprint = r.out().lines().filter(l -> l.startsWith("fingerprint ")).findFirst()
        .orElseThrow(() -> new AssertionError(r.toString())).substring("fingerprint ".length()).trim();

    Path gnupg = Files.createTempDirectory(Path.of("/tmp"), "gpg");
    try {
      Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      gpg(gnupg, "--import", keys.resolve("backup.pub.asc").toString());
      gpg(gnupg, "--import", keys.resolve("backup.sec.asc").toString());
      String secrets = gpg(gnupg, "--with-colons", "--list-secret-keys");
      assertTrue(secrets.contains("fpr:::::::::" + fingerprint + ":"), secrets);
      assertTrue(secrets.lines().anyMatch(l -> l.startsWith("ssb:")), "encryption subkey imported:\n" + secrets);
    } finally {
      gpg(gnupg, "--version"); // keeps the agent call below valid even if import failed
      new ProcessBuilder("gpgconf", "--homedir", gnupg.toString(), "--kill", "gpg-agent").start().waitFor();
      try (var all = Files.walk(gnupg)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    String before = Files.readString(keys.resolve("backup.sec.asc"));
    assertInvalid("exists: refusing to overwrite a key",
        "keys", "generate", "--out", keys.toString(), "--no-passphrase");
    assertEquals(before, Files.readString(keys.resolve("backup.sec.asc")));
  }

  @Test
  void backupListRestoreAndStatusThroughTheCommands(@TempDir Path dir) throws Exception {
    CliResult backup = InProcessCli.run("backup", "run", "notes", "--wait", "--address", stack.address());
    assertEquals(ExitCodes.OK, backup.exit(), backup.toString());
    assertTrue(backup.out().contains(", verified"), backup.toString());
    String backupWorkflow = Outputs.workflowId(backup);

    CliResult list = InProcessCli.run("backup", "list", "notes", "--json", "--address", stack.address());
    assertEquals(ExitCodes.OK, list.exit(), list.toString());
    JsonNode manifests = new ObjectMapper().readTree(list.out());
    assertTrue(manifests.isArray() && manifests.size() >= 1, list.toString());
    JsonNode newest = manifests.get(0);
    assertEquals("notes", newest.get("database").asText());
    assertEquals("sqlite", newest.get("engine").asText());
    assertTrue(newest.get("verified").asBoolean(), list.toString());
    assertTrue(backup.out().contains("backup " + newest.get("backupId").asText()), backup + "\n" + list);

    Path target = dir.resolve("restored.db");
    CliResult restore = InProcessCli.run("restore", "notes", "--to", target.toString(), "--wait",
        "--address", stack.address());
    assertEquals(ExitCodes.OK, restore.exit(), restore.toString());
    assertTrue(restore.out().contains("restored " + newest.get("backupId").asText()), restore.toString());
    assertEquals(SampleSqlite.rowCounts(notes), SampleSqlite.rowCounts(target));

    CliResult status = InProcessCli.run("status", backupWorkflow, "--address", stack.address());
    assertEquals(ExitCodes.OK, status.exit(), status.toString());
    assertTrue(status.out().contains("BackupWorkflow") && status.out().contains("completed"), status.toString());
    for (String step : List.of("prepare", "dump-to-repository", "verify", "publish-manifest")) {
      assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith(step + " ") && l.contains(" ok ")),
          step + " ok in:\n" + status);
    }

    JsonNode json = Outputs.json(InProcessCli.run("status", backupWorkflow, "--json", "--address", stack.address()));
    assertEquals(backupWorkflow, json.get("workflowId").asText());
    assertEquals("BackupWorkflow", json.get("type").asText());
    assertEquals("completed", json.get("status").asText());
    assertTrue(json.get("waitingForApproval").isNull(), json.toPrettyString());
    assertEquals("completed", json.get("progress").get("state").asText());
    for (String step : List.of("prepare", "dump-to-repository", "verify", "publish-manifest")) {
      assertEquals("ok", Outputs.element(json.get("progress").get("steps"), "name", step).get("outcome").asText());
    }
  }

  @Test
  void pendingJsonIsAnEmptyArrayWhenNothingWaits() {
    JsonNode pending = Outputs.json(InProcessCli.run("pending", "--json", "--address", stack.address()));
    assertTrue(pending.isArray() && pending.isEmpty(), pending.toPrettyString());
  }

  /** Only the worker knows its databases, yet a name it lacks is the user's input: exit 2, as for a bad flag. */
  @Test
  void unknownDatabaseIsExit2InOneLineNamingTheConfiguredOnesWithAHint() {
    for (String[] command : List.of(new String[] {"backup", "run", "nosuchdb", "--wait"},
        new String[] {"backup", "list", "nosuchdb"})) {
      CliResult r = InProcessCli.run(Stream.concat(Stream.of(command), Stream.of("--address", stack.address()))
          .toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.toString());
      assertTrue(r.err().startsWith("lifeboat: unknown database 'nosuchdb' [UNKNOWN_DATABASE] HINT: "), r.toString());
      assertTrue(r.err().contains("configured databases: notes"), r.toString());
    }
  }

  /**
   * Without --wait nothing would report the worker's refusal: with a lifeboat.yaml that lists databases, the
   * CLI refuses the name itself, before anything starts. A file without databases (one holding only the history
   * key) leaves the check to the worker.
   */
  @Test
  void anUnknownDatabaseIsRefusedBeforeStartingWhenTheCliConfigListsDatabases() throws Exception {
    for (String[] command : List.of(new String[] {"backup", "run", "nosuchdb"},
        new String[] {"restore", "nosuchdb", "--to", "/tmp/x.db"}, new String[] {"retention", "run", "nosuchdb"},
        new String[] {"check", "nosuchdb"})) {
      CliResult r = InProcessCli.run(Stream.concat(Stream.of(command),
          Stream.of("--address", stack.address(), "--config", home.config().toString())).toArray(String[]::new));
      assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.toString());
      assertTrue(r.err().startsWith("lifeboat: unknown database 'nosuchdb' [UNKNOWN_DATABASE] HINT: "
          + "configured databases: notes"), r.toString());
      assertEquals("", r.out(), "nothing started: " + r);
    }
    Path noDatabases = home.dir().resolve("no-databases.yaml");
    Files.writeString(noDatabases, "databases: {}\n");
    CliResult started = InProcessCli.run("backup", "run", "nosuchdb", "--address", stack.address(),
        "--config", noDatabases.toString());
    assertEquals(ExitCodes.OK, started.exit(), "no databases to check against: the worker decides " + started);
  }

  @Test
  void statusOfAnUnknownWorkflowIsExit3() {
    CliResult r = InProcessCli.run("status", "no-such-workflow", "--address", stack.address());
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
    assertFalse(r.err().contains("\tat "), r.toString());
  }

  private static String gpg(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpg timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    return out;
  }
}
