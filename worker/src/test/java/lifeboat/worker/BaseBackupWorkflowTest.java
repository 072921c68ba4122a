package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `backup run --type base`: pg_basebackup streamed into the repository, checked against PostgreSQL's
 * backup_manifest as it streams and again when read back with the private key; its manifest records the WAL
 * range. Without a WAL archive the WAL goes inside the backup (-X fetch).
 */
class BaseBackupWorkflowTest {
  private static PgCluster pg;
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void startCluster() {
    pg = PgCluster.start();
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text);"
        + " INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 20000) g");
  }

  @AfterAll
  static void stopCluster() {
    pg.close();
  }

  @BeforeEach
  void start() throws Exception {
    TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
    Files.writeString(dir.resolve("pg-password"), pg.password());
    home.database("archived", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local, wal: { archive: stream, slot: lifeboat_base_test } }");
    home.database("alone", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
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

  private BackupManifest baseBackup(String database) {
    BackupResult result = client.newWorkflowStub(BackupWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId("base-" + database).setTaskQueue(TaskQueues.LIFEBOAT).build())
        .backup(new BackupRequest(database, null, null, BackupRequest.BASE));
    assertTrue(result.verified(), result.toString());
    return Manifests.read(new FilesystemRepository(dir.resolve("repo")), database, result.backupId());
  }

  @Test
  void aBaseBackupIsCheckedAgainstPostgresOwnManifestAndRecordsItsWalRange() {
    BackupManifest m = baseBackup("archived");
    assertNotNull(m.base(), m.toString());
    assertTrue(m.objectKey().endsWith("/base.tar.zst.pgp"), m.objectKey());
    assertTrue(m.base().pgManifest().matches("\\d+ files match PostgreSQL's backup_manifest \\(size and CRC32C\\)"),
        m.base().pgManifest());
    assertTrue(m.verification().contains("files match PostgreSQL's backup_manifest"), "read back and checked"
        + " again with the private key: " + m.verification());
    assertFalse(m.base().walIncluded(), "the archive holds its WAL");
    assertEquals(1, m.base().timeline());
    assertTrue(lifeboat.activities.wal.WalNames.parseLsn(m.base().stopLsn())
        > lifeboat.activities.wal.WalNames.parseLsn(m.base().startLsn()), m.base().toString());
    assertTrue(m.base().startSegment().matches("[0-9A-F]{24}"), m.base().startSegment());
    assertTrue(m.rawBytes() > 20L << 20, "the whole cluster: " + m.rawBytes());
    assertEquals(null, m.globals(), "roles are inside a base backup");
    Histories.record(client, "base-archived", "backup-3");
  }

  @Test
  void withoutAWalArchiveItsWalGoesInside() {
    BackupManifest m = baseBackup("alone");
    assertTrue(m.base().walIncluded(), m.base().toString());
  }
}
