package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.LocalStack.Server;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.PgTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * While a step retries, `backup run --wait` and `status` say why, which attempt and when the next one starts: a
 * backup of a real PostgreSQL cluster that is stopped retries, and then completes once it is started again.
 */
class RetryVisibilityTest {
  private static final Pattern RETRY_LINE = Pattern.compile(
      "prepare-backup: attempt (\\d+) failed: DATABASE_UNREACHABLE: .+ HINT: check that the server is running.*;"
          + " (next try in \\d+ s|attempt \\d+ running)");
  /** Between attempts, the wait: the server's next attempt time. */
  private static final Pattern NEXT_TRY = Pattern.compile("attempt \\d+ failed: .*; next try in \\d+ s$");

  private static PgCluster pg;
  private static LifeboatHome home;

  @BeforeAll
  static void start() {
    pg = PgCluster.start();
    PgTables.create(pg, "app");
    home = LifeboatHome.create();
    home.postgres("app", pg.url("app"), pg.password())
        .sqlite("gone", home.dir().resolve("no-such-file.db"))
        .writeConfig();
  }

  @AfterAll
  static void stop() {
    Closing.all(home, pg);
  }

  /** The real server also says when the next attempt starts; the in-memory one never does (see Retries). */
  @ParameterizedTest
  @EnumSource(Server.class)
  void aBackupOfAStoppedDatabaseShowsItsRetriesThenCompletesOnceItIsBack(Server server) throws Exception {
    try (LocalStack stack = LocalStack.withWorker(server, home.config())) {
      backupThroughAnOutage(stack, server == Server.REAL);
    }
  }

  private static void backupThroughAnOutage(LocalStack stack, boolean nextTryKnown) throws Exception {
    pg.stopServer();
    InProcessCli.Running backup;
    try {
      backup = InProcessCli.start("backup", "run", "app", "--wait", "--address", stack.address());
      String started = until(backup::out, out -> out.contains("workflow "), "the workflow id");
      String id = Outputs.workflowId(new CliResult(0, started, ""));

      String waited = until(backup::out, out -> RETRY_LINE.matcher(out).find(), "--wait's retry line");
      String status = until(() -> InProcessCli.run("status", id, "--address", stack.address()).out(),
          out -> out.lines().anyMatch(l -> l.startsWith("retrying: ") && RETRY_LINE.matcher(l).find()
              && (!nextTryKnown || NEXT_TRY.matcher(l).find())),
          "status's retry line with the next try");
      assertTrue(status.contains("BackupWorkflow  running"), status);

      JsonNode json = Outputs.json(InProcessCli.run("status", id, "--json", "--address", stack.address()));
      JsonNode retry = json.get("retrying").get(0);
      assertEquals("prepare-backup", retry.get("step").asText(), json.toPrettyString());
      assertEquals("DATABASE_UNREACHABLE", retry.get("code").asText(), json.toPrettyString());
      assertTrue(retry.get("failedAttempt").asInt() >= 1, json.toPrettyString());
      assertTrue(retry.get("hint").asText().startsWith("check that the server is running"), json.toPrettyString());
      assertTrue(!retry.get("message").asText().contains("[DATABASE_UNREACHABLE]"), json.toPrettyString());
      assertTrue(waited.contains("started backup of app"), waited);
    } finally {
      pg.startServer();
    }

    CliResult done = backup.join(Duration.ofMinutes(3));
    assertEquals(ExitCodes.OK, done.exit(), done.toString());
    assertTrue(done.out().lines().anyMatch(l -> l.startsWith("backup ") && l.contains("verified")), done.toString());
    // One line when it started retrying, another only when the error changed: never the same error twice.
    List<String> errors = done.out().lines().filter(l -> l.contains(": attempt "))
        .map(l -> l.replaceAll("attempt \\d+ failed", "attempt N failed").replaceAll("; [^;]*$", ""))
        .toList();
    assertTrue(!errors.isEmpty(), done.toString());
    assertEquals(errors.stream().distinct().count(), errors.size(), "repeated lines in:\n" + done.out());
    Matcher last = RETRY_LINE.matcher(done.out());
    assertTrue(last.find(), done.toString());
  }

  @Test
  void statusOfAFailedWorkflowExitsOne() {
    try (LocalStack stack = LocalStack.withWorker(home.config())) {
      failedBackupStatus(stack);
    }
  }

  private static void failedBackupStatus(LocalStack stack) {
    CliResult backup = InProcessCli.run("backup", "run", "gone", "--wait", "--address", stack.address());
    assertEquals(ExitCodes.FAILED, backup.exit(), backup.toString());
    CliResult status = InProcessCli.run("status", Outputs.workflowId(backup), "--address", stack.address());
    assertEquals(ExitCodes.FAILED, status.exit(), status.toString());
    assertTrue(status.out().contains("BackupWorkflow  failed"), status.toString());
    assertTrue(status.out().contains("error: "), status.toString());
  }

  /** Polls {@code read} until {@code done} holds: a retry's attempts are seconds apart. */
  private static String until(java.util.function.Supplier<String> read, Predicate<String> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last;
    do {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("never saw " + what + " in:\n" + last);
  }
}
