package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.wal.WalArchive;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.retention.RetentionWorkflow;
import lifeboat.workflows.runbook.RetentionPolicy;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention with base backups and a WAL archive: dumps and base backups are kept by the same rules, each kind
 * on its own, and the WAL older than the oldest kept base backup's first segment goes, never a segment a kept
 * one needs. The dry run shows the WAL range it would remove and removes nothing.
 */
class BaseBackupRetentionTest {
  @TempDir Path dir;

  @Test
  void eachKindIsKeptOnItsOwnAndTheWalNoKeptBaseBackupNeedsGoes() throws Exception {
    try (PgCluster pg = PgCluster.start()) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
      TestRepositoryHome home = new TestRepositoryHome(dir, SharedKeys.get());
      Files.writeString(dir.resolve("pg-password"), pg.password());
      home.database("app", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
          + " repository: local, wal: { archive: stream, slot: lifeboat_retention_test, partialEvery: 1s } }");
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
      try {
        LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        WorkflowClient.start(client.newWorkflowStub(WalArchiveWorkflow.class, options("wal-archive-app"))::archive,
            "app");
        BackupResult logical = backup(client, "logical", null);
        List<BackupResult> bases = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
          pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 2000) g;"
              + " SELECT pg_switch_wal();");
          bases.add(backup(client, "base-" + i, BackupRequest.BASE));
        }
        FilesystemRepository repo = new FilesystemRepository(dir.resolve("repo"));
        BackupManifest newest = Manifests.read(repo, "app", bases.get(2).backupId());
        awaitSegmentStored(repo, newest.base().startSegment());
        Thread.sleep(1100); // past minAge
        RetentionPolicy keepOnePerKind = new RetentionPolicy(1, 0, 0, 0, "1s", "UTC");

        RetentionResult dry = retention(client, "retention-dry", keepOnePerKind, true);
        assertNotNull(dry.wal(), dry.toString());
        assertEquals(newest.base().startSegment(), dry.wal().keepFrom());
        assertTrue(dry.wal().objects() > 0 && dry.wal().last().compareTo(newest.base().startSegment()) < 0, dry.wal()
            .toString());
        int before = segments(repo).size();

        assertEquals(before, segments(repo).size(), "the dry run removed nothing");
        RetentionResult done = retention(client, "retention-run", keepOnePerKind, false);
        assertEquals(List.of(bases.get(2).backupId(), logical.backupId()), done.decisions().stream()
            .filter(d -> RetentionDecision.KEPT.equals(d.outcome())).map(RetentionDecision::backupId).toList(),
            "the newest of each kind: " + done.decisions());
        assertEquals(2, done.count(RetentionDecision.DELETED), done.toString());
        List<String> left = segments(repo);
        assertEquals(before - dry.wal().objects(), left.size(), "what the dry run said, and only that");
        long cut = WalNames.parse(newest.base().startSegment(), 16L << 20).number();
        assertTrue(left.stream().allMatch(s -> WalNames.parse(s, 16L << 20).number() >= cut), left.toString());
        assertTrue(left.contains(newest.base().startSegment()), "the kept base backup's WAL stays: " + left);
        Histories.record(client, "retention-run", "retention-2");
        WorkflowStub.fromTyped(client.newWorkflowStub(WalArchiveWorkflow.class, "wal-archive-app")).signal("stop", "x");
      } finally {
        env.close();
      }
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.LIFEBOAT).build();
  }

  private static BackupResult backup(WorkflowClient client, String id, String type) {
    return client.newWorkflowStub(BackupWorkflow.class, options(id))
        .backup(new BackupRequest("app", null, null, type));
  }

  private static RetentionResult retention(WorkflowClient client, String id, RetentionPolicy policy, boolean dryRun) {
    return client.newWorkflowStub(RetentionWorkflow.class, options(id)).run(new RetentionRequest("app", policy, dryRun));
  }

  private static List<String> segments(FilesystemRepository repo) {
    return new WalArchive(repo, "app", List.of(), 1).list().stream().filter(WalArchive.Entry::isSegment)
        .map(WalArchive.Entry::name).toList();
  }

  private static void awaitSegmentStored(FilesystemRepository repo, String segment) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!segments(repo).contains(segment) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }
}
