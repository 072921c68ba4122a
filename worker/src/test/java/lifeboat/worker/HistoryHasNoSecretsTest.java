package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.restore.RestoreWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never enter workflow history: a backup and a restore of a PostgreSQL database whose password and
 * key passphrase are unique strings, and a restore that fails on a wrong password, leave none of them (nor
 * the private key) anywhere in the recorded histories.
 */
class HistoryHasNoSecretsTest {
  private static PgCluster pg;
  private static GpgKeys keys;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "passphrase-" + UUID.randomUUID());
    pg = PgCluster.start();
    pg.createDatabase("shop");
    pg.createDatabase("copy");
    pg.exec("shop", "create table orders as select g as id, md5(g::text) as ref from generate_series(1, 1000) g");
  }

  @AfterAll
  static void stop() {
    pg.close();
    keys.close();
  }

  @Test
  void noPasswordPassphraseOrKeyInAnyHistory() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, keys);
    Files.writeString(dir.resolve("pg-password"), pg.password());
    String wrong = "wrong-" + UUID.randomUUID();
    Files.writeString(dir.resolve("wrong-password"), wrong);
    home.database("shop", "{ engine: postgres, url: \"" + pg.url("shop") + "\", password: file:pg-password,"
        + " repository: local }");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      client.newWorkflowStub(BackupWorkflow.class, options("backup")).backup(new BackupRequest("shop", null, null));
      client.newWorkflowStub(RestoreWorkflow.class, options("restore")).restore(new RestoreRequest(
          "shop", RestoreRequest.LATEST, pg.url("copy"), "file:" + dir.resolve("pg-password"), 1, false));
      assertEquals("1000", pg.exec("copy", "select count(*) from orders"));
      WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> client
          .newWorkflowStub(RestoreWorkflow.class, options("restore-wrong")).restore(new RestoreRequest(
              "shop", RestoreRequest.LATEST, pg.url("copy"), "file:" + dir.resolve("wrong-password"), 1, true)));
      assertTrue(String.valueOf(failed.getCause().getCause().getMessage()).contains("AUTH_FAILED"));

      String privateKey = Files.readString(keys.secretKeyFile());
      String keyBody = privateKey.lines().filter(l -> l.length() > 60).findFirst().orElseThrow();
      for (String id : new String[] {"backup", "restore", "restore-wrong"}) {
        String history = Histories.readable(client, id);
        assertTrue(history.contains("shop"), "a real history of " + id);
        assertFalse(history.contains(pg.password()), "database password in the history of " + id);
        assertFalse(history.contains(wrong), "target password in the history of " + id);
        assertFalse(history.contains(keys.passphrase()), "key passphrase in the history of " + id);
        assertFalse(history.contains(keyBody), "private key material in the history of " + id);
      }
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
