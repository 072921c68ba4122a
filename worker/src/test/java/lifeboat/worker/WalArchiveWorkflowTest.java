package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL archive workflow on a real cluster: it archives until stopped, and a config error fails it at once. */
class WalArchiveWorkflowTest {
  private static PgCluster pg;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void startCluster() {
    pg = PgCluster.start();
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
  }

  @AfterAll
  static void stopCluster() {
    pg.close();
  }

  @BeforeEach
  void start() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("pg-password"), pg.password());
    home.database("app", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local, wal: { archive: stream, slot: lifeboat_wf_test, partialEvery: 1s } }");
    home.database("plain", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.LIFEBOAT).build();
  }

  private WalStatus status(String database) {
    return client.newWorkflowStub(WalStatusWorkflow.class, options("wal-status-" + System.nanoTime()))
        .status(database);
  }

  @Test
  void theArchiveRunsUntilStoppedAndStoresWhatItReceivedBeforeItEnds() throws Exception {
    WalArchiveWorkflow wf = client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-app"));
    WorkflowClient.start(wf::archive, "app");
    pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 2000) g; SELECT pg_switch_wal();");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    WalStatus status = status("app");
    while (status.segments() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(300);
      status = status("app");
    }
    assertTrue(status.segments() >= 1, status.toString());
    pg.exec("app", "INSERT INTO t(note) VALUES ('just before the stop')");
    String before = pg.exec("app", "SELECT pg_current_wal_lsn()");

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.signal("stop", "test");
    stub.getResult(2, TimeUnit.MINUTES, Void.class);
    WalStatus after = status("app");
    assertEquals(0, after.gaps().size(), after.toString());
    assertFalse(after.slotActive(), "the stream let go of its slot: " + after);
    assertTrue(lifeboat.activities.wal.WalNames.parseLsn(after.archivedLsn())
        >= lifeboat.activities.wal.WalNames.parseLsn(before), "stored through the write before the stop: " + after);
    Histories.record(client, "wal-archive-app", "wal-archive-1");
  }

  @Test
  void aDatabaseWithoutAWalSectionFailsTheArchiveAtOnceWithAHint() {
    WalArchiveWorkflow wf = client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-plain"));
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> wf.archive("plain"));
    ApplicationFailure cause = (ApplicationFailure) ((ActivityFailure) failed.getCause()).getCause();
    assertEquals("CONFIG_INVALID", cause.getType());
    assertTrue(cause.getOriginalMessage().contains("database plain has no WAL archive"), cause.getOriginalMessage());
  }
}
