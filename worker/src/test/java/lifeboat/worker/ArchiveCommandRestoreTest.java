package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.ArchiveCommandSetup;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop in archive_command mode: the archive workflow's StreamWal step receives what PostgreSQL's
 * archiver pushes with curl, a base backup is taken, and a restore to a moment between two writes brings back the
 * rows before it and none after. PointInTimeRestoreTest's helpers do the waiting and the restore.
 */
class ArchiveCommandRestoreTest {
  private static final String TOKEN = "restore-test-token-0123456789";
  @TempDir static Path dir;
  private static PgCluster pg;
  private static TestWorkflowEnvironment env;
  private static Path shared;

  @AfterAll
  static void stop() {
    if (env != null) {
      WorkflowStub.fromTyped(env.getWorkflowClient().newWorkflowStub(WalArchiveWorkflow.class, "wal-archive-app"))
          .signal("stop", "done");
      env.close();
    }
    if (pg != null) {
      pg.close();
    }
    LocalCluster.deleteTree(shared);
  }

  @Test
  void aRestoreToAMomentFromAPushedArchiveHasTheRowsBeforeItAndNoneAfter() throws Exception {
    pg = PgCluster.startLocal("-c archive_mode=on");
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE events(id serial PRIMARY KEY, note text)");
    shared = ArchiveCommandSetup.headerFolder(); // the header and the restored cluster: postgres must reach them
    Path home = Files.createDirectories(dir.resolve("home"));
    TestRepositoryHome repo = new TestRepositoryHome(home, SharedKeys.get());
    Files.writeString(home.resolve("pg-password"), pg.password());
    Files.writeString(home.resolve("wal-token"), TOKEN);
    int port = LocalCluster.freePort();
    repo.database("app", "{ engine: postgres, url: \"" + pg.url("app") + "\", password: file:pg-password,"
        + " repository: local, wal: { archive: command, listen: \"127.0.0.1:" + port + "\", token: file:wal-token } }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(repo.config()));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    WorkflowClient.start(client.newWorkflowStub(WalArchiveWorkflow.class,
        PitrRuns.options("wal-archive-app"))::archive, "app");
    ArchiveCommandSetup.enable(pg, ArchiveCommandSetup.headerFile(shared, "wal-token.header", TOKEN), port, "app");

    pg.exec("app", "INSERT INTO events(note) VALUES ('before the backup')");
    // -X none: the backup's WAL, and its backup history file, come through the receiver.
    client.newWorkflowStub(BackupWorkflow.class, PitrRuns.options("base-app"))
        .backup(new BackupRequest("app", null, null, BackupRequest.BASE));
    pg.exec("app", "INSERT INTO events(note) VALUES ('after the backup, before the moment')");
    Thread.sleep(1100);
    Instant between = Instant.now();
    Thread.sleep(1100);
    pg.exec("app", "INSERT INTO events(note) VALUES ('after the moment')");
    long written = WalNames.parseLsn(pg.exec("app", "SELECT pg_current_wal_lsn()"));
    pg.exec("app", "SELECT pg_switch_wal()"); // what archive_timeout does in production
    PitrRuns.awaitArchived(client, "app", written);

    Path target = shared.resolve("restored");
    int restoredPort = LocalCluster.freePort();
    PitrResult result = PitrRuns.restore(client, "pitr-pushed", new PitrRequest("app", null,
        between.toString(), null, false, target.toString(), restoredPort));
    try {
      assertTrue(result.outcome().stoppedAt().startsWith("recovery stopping before commit of transaction"),
          result.outcome().toString());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + restoredPort + "/app",
          "postgres", pg.password()); ResultSet rs = c.createStatement().executeQuery(
              "SELECT string_agg(note, ',' ORDER BY id), pg_is_in_recovery() FROM events")) {
        rs.next();
        assertEquals("before the backup,after the backup, before the moment", rs.getString(1));
        assertFalse(rs.getBoolean(2), "promoted: it takes writes");
      }
      try (var files = Files.walk(home.resolve("repo/wal/app/history"))) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup-.*")),
            "the base backup's history file was pushed and stored");
      }
    } finally {
      new LocalCluster(target, lifeboat.activities.errors.ErrorCode.RESTORE_FAILED).stop("immediate", () -> { });
    }
  }
}
