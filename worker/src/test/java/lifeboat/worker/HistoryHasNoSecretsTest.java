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
import java.util.List;
import java.util.UUID;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.S3ProxyServer;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.restore.RestoreWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never enter workflow history: a backup and a restore of a PostgreSQL database whose password and
 * key passphrase are unique strings, and a restore that fails on a wrong password, leave none of them (nor
 * the private key) anywhere in the recorded histories; nor do an S3 backup's credentials and a drill's server
 * password. (A failover's and a pre-migration run's histories are searched by FailoverWorkflowTest and
 * PreMigrationBackupWorkflowTest, a schema-push drill's by PostgresDrillTest.)
 */
@ExtendWith(S3ProxyServer.Extension.class)
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

  /** An S3 repository's credentials and a drill server's password, each a file reference, stay out too. */
  @Test
  void noS3CredentialOrDrillServerPasswordInTheirHistories(S3ProxyServer s3) throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, keys);
    Files.writeString(dir.resolve("pg-password"), pg.password());
    Files.writeString(dir.resolve("s3-key-id"), S3ProxyServer.IDENTITY);
    Files.writeString(dir.resolve("s3-secret"), S3ProxyServer.CREDENTIAL);
    home.repository("offsite", "{ type: s3, bucket: " + s3.newBucket() + ", region: us-east-1, endpoint: \""
        + s3.endpoint() + "\", pathStyle: true, accessKeyId: file:s3-key-id, secretAccessKey: file:s3-secret }");
    home.database("shop", "{ engine: postgres, url: \"" + pg.url("shop") + "\", password: file:pg-password,"
        + " repository: offsite }");
    Runbook drill = new Runbook(Runbook.KIND_RESTORE_DRILL, "shop-drill", "shop", null, null, null,
        new RestoreSpec("latest", null, RestoreSpec.TARGET_SERVER, pg.url("postgres"), "file:pg-password", 1, false,
            "10m"),
        null, List.of(new SmokeCheck("orders", "select count(*) from orders", "= 1000", null)), null, null);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      client.newWorkflowStub(BackupWorkflow.class, options("backup-s3")).backup(new BackupRequest("shop", null, null));
      DrillReport report = client.newWorkflowStub(RestoreDrillWorkflow.class, options("drill-server"))
          .drill(new DrillRequest(drill, null, "test"));
      assertTrue(report.success(), String.valueOf(report));

      for (String id : new String[] {"backup-s3", "drill-server"}) {
        String history = Histories.readable(client, id);
        assertTrue(history.contains("shop") && history.contains("s3://"), "a real history of " + id + " on S3");
        assertFalse(history.contains(S3ProxyServer.CREDENTIAL), "S3 secret key in the history of " + id);
        assertFalse(history.contains(pg.password()), "database or drill server password in the history of " + id);
        assertFalse(history.contains(keys.passphrase()), "key passphrase in the history of " + id);
      }
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
