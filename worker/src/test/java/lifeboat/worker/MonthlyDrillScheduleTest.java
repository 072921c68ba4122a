package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.catalog.ListBackupsWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.runbook.AlarmPolicy;
import lifeboat.workflows.runbook.RetentionPolicy;
import lifeboat.workflows.drill.DrillHistoryWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.runbook.ScheduleSpec;
import lifeboat.workflows.schedule.ScheduleDescription;
import lifeboat.workflows.schedule.ScheduleInput;
import lifeboat.workflows.schedule.ScheduleRun;
import lifeboat.workflows.schedule.ScheduleWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monthly drill on its schedule, in a time-skipping environment that runs nothing else; its backups are made
 * beforehand without time skipping (see {@link #backUpTwiceInRealTime} and docs/testing.md).
 */
class MonthlyDrillScheduleTest {
  @TempDir Path dir;

  /**
   * A monthly drill of a random backup: skipped time runs to the next 1st of a month, where the schedule picks
   * one of the two backups made at the start (with the seeded random of the workflow). The window is 40 days
   * back from the fire time: the manifests carry the real clock's times, the fire time is skipped time.
   */
  @Test
  void aMonthlyDrillOfARandomBackupRunsOnTheFirst() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    home.sqlite("notes", 200);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
    List<String> backups = backUpTwiceInRealTime(home);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
             TestEnvironmentOptions.newBuilder().setInitialTime(Instant.now()).build())) {
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      Runbook monthly = new Runbook(Runbook.KIND_RESTORE_DRILL, "notes-drill-monthly", "notes",
          new ScheduleSpec("0 5 1 * *", "UTC", null), null, null, new RestoreSpec("random", "40d", null, null, null,
          null, null, null), null, List.of(new SmokeCheck("notes", "select count(*) from notes", "= 200", null)),
          null);
      WorkflowClient.start(client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("schedule-monthly").build())::run,
          ScheduleInput.start(monthly));
      java.time.ZonedDateTime first = java.time.ZonedDateTime.ofInstant(Instant.ofEpochMilli(env.currentTimeMillis()),
          java.time.ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).withHour(6).withMinute(0).withSecond(0).withNano(0);

      env.sleep(Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), first.toInstant()));

      ScheduleDescription d = client.newWorkflowStub(ScheduleWorkflow.class, "schedule-monthly").describe();
      assertEquals(List.of("ok"), d.recentRuns().stream().map(ScheduleRun::outcome).toList(), d.recentRuns().toString());
      assertEquals(first.withHour(5).toInstant().toString(), d.recentRuns().get(0).fireTime());
      DrillReport report = client.newUntypedWorkflowStub(d.recentRuns().get(0).workflowId())
          .getResult(DrillReport.class);
      assertTrue(backups.contains(report.backupId()), report.backupId() + " in " + backups);
      assertEquals("200", report.smoke().get(0).actual());
    }
  }

  /**
   * The two backups, made in an environment without time skipping, into the same repository. Made in the
   * skipping one, a backup's synchronous call lets the test server skip time while nothing holds it; with only
   * the ten-year run timeouts of finished workflows queued, it once jumped there before the schedule existed
   * (the manifests keep the real clock's times, so the drill then found no backup in its window).
   */
  private static List<String> backUpTwiceInRealTime(TestRepositoryHome home) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
             TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
      env.start();
      List<String> backups = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        backups.add(env.getWorkflowClient().newWorkflowStub(lifeboat.workflows.backup.BackupWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("backup-" + i).build())
            .backup(new lifeboat.workflows.model.BackupRequest("notes", null, null)).backupId());
      }
      return backups;
    }
  }

}
