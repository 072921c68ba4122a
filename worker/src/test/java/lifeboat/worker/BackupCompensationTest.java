package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump that fails half-way (pg_dump hits a table its role cannot read, after streaming the others) must
 * publish nothing: the saga's DiscardBackup runs, and the repository keeps no object, partial or whole.
 */
class BackupCompensationTest {
  private static final String READER_PASSWORD = "reader-" + UUID.randomUUID();
  private static PgCluster pg;
  private static GpgKeys keys;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pass-" + UUID.randomUUID());
    pg = PgCluster.start();
    pg.createDatabase("shop");
    pg.exec("shop", """
        create table a_orders as select g as id, md5(g::text) as ref from generate_series(1, 50000) g;
        create table z_secrets (id int, secret text);
        insert into z_secrets values (1, 'x');
        create role reader login password '%s';
        grant select on a_orders to reader;
        revoke all on z_secrets from reader;
        """.formatted(READER_PASSWORD));
  }

  @AfterAll
  static void stop() {
    pg.close();
    keys.close();
  }

  @Test
  void failedDumpIsDiscardedAndNothingIsPublished() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, keys);
    Files.writeString(dir.resolve("reader-password"), READER_PASSWORD);
    home.database("shop", "{ engine: postgres, url: \"postgresql://reader@127.0.0.1:" + pg.port() + "/shop\","
        + " password: file:reader-password, repository: local }");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      BackupWorkflow wf = client.newWorkflowStub(BackupWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("backup-shop").build());

      WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
          () -> wf.backup(new BackupRequest("shop", null, null)));
      assertTrue(e.getCause().getCause().getMessage().contains("permission denied"), e.getCause().getCause().getMessage());

      List<String> activities = client.fetchHistory("backup-shop").getHistory().getEventsList().stream()
          .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
          .map(a -> a.getActivityType().getName())
          .toList();
      assertEquals(List.of("PrepareBackup", "DumpToRepository", "DiscardBackup"), activities,
          "the undo of the dump ran, and only it");

      WorkflowProgress progress = client.newWorkflowStub(BackupWorkflow.class, "backup-shop").progress();
      assertEquals(List.of("prepare:ok", "dump-to-repository:failed", "discard-backup:ok"),
          progress.steps().stream().map(s -> s.name() + ":" + s.outcome()).toList());
      assertEquals(0, home.repositoryFiles().count(), "no object, partial or whole, is left in the repository");
      Histories.record(client, "backup-shop", "backup-2");
      assertEquals("failed", progress.state());
      assertTrue(progress.steps().stream().map(StepRecord::detail).anyMatch(d -> d != null && d.contains("PERMISSION_DENIED")), progress.toString());
    }
  }
}
