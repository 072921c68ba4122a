package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.SampleSqlite;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.drill.DrillReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers by role on one real Temporal server: a backup worker with the public key only, and a restore worker
 * with the private key, as two processes. Backup steps run on the first, a drill's restore steps on the second,
 * never the other way round; a drill started while no restore worker polls waits, and `status` says for what.
 */
class WorkerRolesTest {
  private static final Pattern DRILL_ID = Pattern.compile("workflow (drill-\\S+)");
  @TempDir Path runbooks;

  @Test
  void backupStepsRunOnTheBackupWorkerAndRestoreStepsWaitForTheRestoreWorker() throws Exception {
    try (LifeboatHome home = LifeboatHome.create(); LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db"))).writeConfig();
      Path backupOnly = home.writeBackupOnlyConfig();
      assertFalse(Files.readString(backupOnly).contains("privateKey"), Files.readString(backupOnly));
      Files.writeString(runbooks.resolve("notes-nightly.yaml"), """
          kind: backup
          database: notes
          schedule: { cron: "0 3 * * *" }
          """);
      Files.writeString(runbooks.resolve("notes-drill.yaml"), """
          kind: restore-drill
          database: notes
          restore: { backup: latest, rto: 5m }
          smoke:
            - name: notes exist
              sql: SELECT count(*) FROM notes
              expect: "= 1234"
          """);
      String address = stack.address();

      CliResult refused = InProcessCli.run("worker", "--role", "restore", "--address", address,
          "--config", backupOnly.toString());
      assertEquals(ExitCodes.INVALID_INPUT, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("cannot take the restore role") && refused.err().contains("HINT: run it with"
          + " --role backup"), refused.toString());
      CliResult refusedAll = InProcessCli.run("worker", "--address", address, "--config", backupOnly.toString());
      assertEquals(ExitCodes.INVALID_INPUT, refusedAll.exit(), "the default role, all, restores too: " + refusedAll);

      try (CliProcess backupWorker = Workers.start(stack, backupOnly, "backup")) {
        CliResult applied = InProcessCli.run("schedule", "apply", runbooks.toString(),
            "--address", address);
        assertEquals(ExitCodes.OK, applied.exit(), applied.toString());
        CliResult triggered = InProcessCli.run("schedule", "trigger", "notes-nightly", "--address", address);
        assertEquals(ExitCodes.OK, triggered.exit(), triggered.toString());
        String backupId = awaitBackupWorkflow(stack.client(), backupWorker);
        assertTrue(WorkflowRuns.backupResult(stack.client(), backupId, Duration.ofMinutes(2)).verified());

        CliResult started = InProcessCli.run("drill", "run", "notes-drill", "--no-wait", "--runbooks",
            runbooks.toString(), "--address", address);
        assertEquals(ExitCodes.OK, started.exit(), started.toString());
        Matcher m = DRILL_ID.matcher(started.out());
        assertTrue(m.find(), started.out());
        String drillId = m.group(1);
        CliResult status = awaitStatus(address, drillId, "WAITING FOR A WORKER");
        assertTrue(status.out().contains("queued on " + TaskQueues.RESTORE) && status.out().contains("no worker polls"
            + " it. HINT: start a worker of role restore"), status.toString());
        assertFalse(WorkflowRuns.isClosed(stack.client(), drillId), "the drill waits instead of failing");

        try (CliProcess restoreWorker = Workers.start(stack, home.config(), "restore")) {
          DrillReport report = WorkflowRuns.drillResult(stack.client(), drillId, Duration.ofMinutes(3));
          assertTrue(report.success(), report.toString());
          Map<String, Long> restoreSteps = stepsRunBy(stack.client(), drillId, TaskQueues.RESTORE_STEPS);
          assertFalse(restoreSteps.isEmpty());
          restoreSteps.forEach((step, pid) -> assertEquals(restoreWorker.process().pid(), pid,
              step + " ran on the restore worker"));
          assertTrue(restoreSteps.keySet().containsAll(List.of("ResolveBackup", "RestoreIntoTarget",
              "CreateThrowawayTarget", "RunSmokeChecks", "TeardownThrowawayTarget")), restoreSteps.toString());
        }
        Map<String, Long> backupSteps = stepsRunBy(stack.client(), backupId, TaskQueues.BACKUP_STEPS);
        backupSteps.forEach((step, pid) -> assertEquals(backupWorker.process().pid(), pid,
            step + " ran on the backup worker"));
        assertTrue(backupSteps.keySet().containsAll(List.of("PrepareBackup", "DumpToRepository", "VerifyBackup",
            "PublishManifest")), backupSteps.toString());
      }
    }
  }

  /** The backup the trigger started: the one backup workflow of notes. */
  private static String awaitBackupWorkflow(WorkflowClient client, CliProcess worker) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      var open = client.getWorkflowServiceStubs().blockingStub().listWorkflowExecutions(
          io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest.newBuilder().setNamespace("default")
              .setQuery("WorkflowType = 'BackupWorkflow'").build());
      if (open.getExecutionsCount() > 0) {
        return open.getExecutions(0).getExecution().getWorkflowId();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the trigger started no backup:\n" + worker.output());
  }

  private static CliResult awaitStatus(String address, String id, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    CliResult status;
    do {
      status = InProcessCli.run("status", id, "--address", address);
      if (status.out().contains(text)) {
        return status;
      }
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("status never said '" + text + "':\n" + status);
  }

  /** Step type to the pid of the worker that started it (the identity is pid@host), for the given steps. */
  private static Map<String, Long> stepsRunBy(WorkflowClient client, String id, java.util.Set<String> steps) {
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    Map<Long, String> typeOfScheduled = new HashMap<>();
    Map<String, Long> ranBy = new HashMap<>();
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        typeOfScheduled.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        var started = e.getActivityTaskStartedEventAttributes();
        String type = typeOfScheduled.get(started.getScheduledEventId());
        if (steps.contains(type)) {
          ranBy.put(type, Long.parseLong(started.getIdentity().substring(0, started.getIdentity().indexOf('@'))));
        }
      }
    }
    return ranBy;
  }
}
