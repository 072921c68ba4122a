package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.FailoverRunbooks;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Visibility;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.SearchAttributes;
import lifeboat.workflows.WaitingFor;
import lifeboat.workflows.failover.FailoverResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * `lifeboat failover start`, `pending`, `approve` and `failover timeline` against a real primary, streaming
 * standby and PgBouncer, with the worker as a separate process that is SIGKILLed while the failover waits for
 * approval: the wait is a durable timer, so a new worker answers the approval and the failover goes on. On both
 * servers: with sticky execution on the real one, the killed worker's sticky task must come back to the new one.
 */
class FailoverCommandTest {
  private static final Pattern ID = Pattern.compile("workflow (failover-\\S+)");
  @TempDir Path runbooks;

  @ParameterizedTest
  @EnumSource(LocalStack.Server.class)
  void aWorkerKilledWhileTheFailoverWaitsForApprovalIsReplacedAndTheApprovalGoesThrough(LocalStack.Server server)
      throws Exception {
    try (PgCluster primary = PgCluster.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(server)) {
      primary.createDatabase("app");
      primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY)");
      try (PgCluster standby = PgCluster.startStandbyOf(primary); PgBouncer bouncer = PgBouncer.startFor(primary)) {
        home.postgres("app", primary.url("app"), primary.password()).writeConfig();
        FailoverRunbooks.appFailover(runbooks, home, primary, standby, bouncer);
        String address = stack.address();
        CliResult notADrill = InProcessCli.run("failover", "start", "app-failover", "--runbooks", runbooks.toString(),
            "--auto-approve", "--address", address);
        assertEquals(ExitCodes.INVALID_INPUT, notADrill.exit(), notADrill.toString());

        CliProcess first = Workers.start(stack, home);
        CliProcess second = null;
        try {
          primary.killPostmaster();
          CliResult started = InProcessCli.run("failover", "start", "app-failover", "--runbooks",
              runbooks.toString(), "--address", address);
          assertEquals(ExitCodes.UNEXPECTED_STATE, started.exit(), started.toString());
          assertTrue(started.out().contains("WAITING FOR APPROVAL"), started.toString());
          Matcher m = ID.matcher(started.out());
          assertTrue(m.find(), started.out());
          String id = m.group(1);

          CliResult pending = InProcessCli.run("pending", "--address", address);
          assertEquals(List.of(id + "  FailoverWorkflow  WAITING FOR APPROVAL at await-promotion-approval"),
              pending.out().lines().filter(l -> l.startsWith(id + "  ")).map(l -> l.replaceAll(" for .*", ""))
                  .toList(), "listed once, under its own type:\n" + pending);
          String waitingForApproval = "LifeboatWaitingFor = '" + WaitingFor.APPROVAL + "'";
          if (server == LocalStack.Server.REAL) {
            assertTrue(Visibility.awaitListed(stack.client(), waitingForApproval, id),
                "the Web UI and `temporal workflow list --query` find the failover waiting for a person");
          }

          first.kill();
          assertFalse(first.process().isAlive());
          second = Workers.start(stack, home);

          CliResult approved = InProcessCli.run("approve", id, "--by", "alice", "--reason", "db1 is gone",
              "--address", address);
          assertEquals(ExitCodes.OK, approved.exit(), approved.toString() + "\n" + second.output());
          assertTrue(approved.out().startsWith("recorded: await-promotion-approval -> promote by alice (db1 is gone)"),
              approved.toString());
          assertTrue(approved.out().contains("| verify-application-path | "), "the timeline:\n" + approved);
          assertTrue(approved.out().endsWith("outcome: promoted\n"), approved.toString());
          FailoverResult result = stack.client().newUntypedWorkflowStub(id)
              .getResult(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS, FailoverResult.class);
          assertEquals(FailoverResult.PROMOTED, result.outcome(), result.timelineMarkdown());
          var attributes = stack.client().newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
          if (server == LocalStack.Server.REAL) {
            assertEquals("failover", attributes.get(SearchAttributes.KIND_KEY));
            assertTrue(Visibility.awaitNotListed(stack.client(), waitingForApproval, id), "answered: waits no more");
            assertEquals("", stack.client().newUntypedWorkflowStub(id).describe().getTypedSearchAttributes()
                .get(SearchAttributes.WAITING_FOR_KEY));
          } else {
            assertFalse(attributes.containsKey(SearchAttributes.KIND_KEY), "the in-memory server gets none");
          }
          assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"));
          assertTrue(bouncer.databaseRow("app").startsWith("app|127.0.0.1|" + standby.port() + "|"),
              bouncer.databaseRow("app"));

          CliResult timeline = InProcessCli.run("failover", "timeline", id, "--address", address);
          assertEquals(ExitCodes.OK, timeline.exit(), timeline.toString());
          assertTrue(timeline.out().contains("answered by alice: promote - \"db1 is gone\""), timeline.out());
          assertTrue(timeline.out().contains("| verify-application-path | "), timeline.out());
          assertEquals(ExitCodes.OK, InProcessCli.run("pending", "--address", address).exit());
        } finally {
          first.close();
          if (second != null) {
            second.close();
          }
        }
      }
    }
  }

  /**
   * A step past the promotion that keeps failing (PgBouncer down, so the repoint cannot reach it): the failover
   * waits for a person at await-retry-repoint-application, and `approve --choice retry` once PgBouncer is back
   * finishes it on the same workflow, with one promotion.
   */
  @org.junit.jupiter.api.Test
  void aRepointFailingAfterThePromotionWaitsAndApproveRetryFinishesTheFailover() throws Exception {
    try (PgCluster primary = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      primary.createDatabase("app");
      primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY)");
      try (PgCluster standby = PgCluster.startStandbyOf(primary); PgBouncer bouncer = PgBouncer.startFor(primary)) {
        home.postgres("app", primary.url("app"), primary.password()).writeConfig();
        FailoverRunbooks.appFailover(runbooks, home, primary, standby, bouncer);
        try (LocalStack stack = LocalStack.withWorker(home.config())) {
          String address = stack.address();
          primary.killPostmaster();
          CliResult started = InProcessCli.run("failover", "start", "app-failover", "--runbooks",
              runbooks.toString(), "--address", address);
          Matcher m = ID.matcher(started.out());
          assertTrue(m.find(), started.out());
          String id = m.group(1);
          bouncer.stop();

          CliResult promoted = InProcessCli.run("approve", id, "--by", "alice", "--reason", "db1 is gone",
              "--address", address);
          assertEquals(ExitCodes.UNEXPECTED_STATE, promoted.exit(), "waits again: " + promoted);
          assertTrue(promoted.out().contains("WAITING FOR APPROVAL: repoint-application failed after the standby"),
              promoted.toString());
          assertTrue(promoted.out().contains("[FAILOVER_REPOINT_FAILED] HINT: "), promoted.toString());
          assertTrue(promoted.out().contains("answer with: lifeboat approve " + id + " --choice retry|abandon"),
              promoted.toString());
          assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"), "promoted meanwhile");
          CliResult pending = InProcessCli.run("pending", "--address", address);
          assertTrue(pending.out().contains(id + "  FailoverWorkflow  WAITING FOR APPROVAL at"
              + " await-retry-repoint-application"), pending.toString());

          bouncer.restart();
          CliResult retried = InProcessCli.run("approve", id, "--choice", "retry", "--by", "alice", "--reason",
              "pgbouncer restarted", "--address", address);
          assertEquals(ExitCodes.OK, retried.exit(), retried.toString());
          assertTrue(retried.out().startsWith("recorded: await-retry-repoint-application -> retry by alice"
              + " (pgbouncer restarted)"), retried.toString());
          assertTrue(retried.out().endsWith("outcome: promoted\n"), retried.toString());
          assertTrue(bouncer.databaseRow("app").startsWith("app|127.0.0.1|" + standby.port() + "|"),
              bouncer.databaseRow("app"));
          long promotions = stack.client().fetchHistory(id).getEvents().stream()
              .filter(e -> e.hasActivityTaskScheduledEventAttributes())
              .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                  .equals("PromoteStandby")).count();
          assertEquals(1, promotions, "exactly one promotion");
        }
      }
    }
  }
}
