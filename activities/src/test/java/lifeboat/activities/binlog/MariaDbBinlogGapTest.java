package lifeboat.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.activities.wal.WalActivitiesImpl;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binlog files the server purged while the archive was stopped: the next run goes on from the oldest file the
 * server still has, `wal status` lists the missing files as gaps, and a restore to a moment past the gap from a
 * backup before it is refused naming the missing file. A server of its own: PURGE BINARY LOGS would take the
 * files other tests' archives need.
 */
class MariaDbBinlogGapTest {
  @TempDir Path dir;

  @Test
  void filesPurgedBeforeTheyWereArchivedAreAGapThatStatusShowsAndRestoresRefuse() throws Exception {
    try (MariaDbServer maria = MariaDbServer.start()) {
      maria.createDatabase("shop");
      maria.exec("shop", "CREATE TABLE orders(id int PRIMARY KEY) ENGINE=InnoDB; INSERT INTO orders VALUES (1)");
      Files.writeString(dir.resolve("pass.txt"), maria.password());
      Files.writeString(dir.resolve("lifeboat.yaml"), """
          repositories:
            local: { type: filesystem, path: repo }
          databases:
            shop:
              engine: mariadb
              url: %s
              password: file:pass.txt
              repository: local
              encryption: none
              wal: { partialEvery: 1s }
          """.formatted(maria.url("shop")));
      Workspace workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"));
      WalActivitiesImpl wal = new WalActivitiesImpl(workspace);
      BackupManifest m = new BackupActivitiesImpl(workspace).dump("shop", "20250101T000000Z-1", null,
          Progress.none());
      var repo = workspace.repository(workspace.config(), "local");
      Manifests.write(repo, m.withVerification(true, Verification.verify(workspace.config(), repo, m,
          workspace.engine("mariadb"), Progress.none())));
      wal.stream("shop", Duration.ofSeconds(2), () -> { });
      String archivedUpTo = maria.exec(null, "SHOW MASTER STATUS").split("\t")[0];

      // While the archive is stopped: two rotations with writes, then the server purges all but the newest.
      for (int i = 2; i <= 3; i++) {
        maria.exec("shop", "INSERT INTO orders VALUES (" + i + ")");
        maria.exec(null, "FLUSH BINARY LOGS");
      }
      String newest = maria.exec(null, "SHOW MASTER STATUS").split("\t")[0];
      // A file a binlog dump thread still reads is kept by PURGE: the stopped archiver's may take a moment to go.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      do {
        maria.exec(null, "PURGE BINARY LOGS TO '" + newest + "'");
        Thread.sleep(200);
      } while (!maria.exec(null, "SHOW BINARY LOGS").startsWith(newest) && System.nanoTime() < deadline);
      assertTrue(maria.exec(null, "SHOW BINARY LOGS").startsWith(newest), maria.exec(null, "SHOW BINARY LOGS"));
      maria.exec("shop", "INSERT INTO orders VALUES (4)");

      WalStreamResult resumed = wal.stream("shop", Duration.ofSeconds(2), () -> { });
      assertEquals(newest, resumed.startLsn(), "went on from the oldest file the server still has");
      WalStatus status = wal.status(workspace.config(), "shop");
      String missing = BinlogNames.next(archivedUpTo);
      assertTrue(status.gaps().stream().anyMatch(g -> g.startsWith(archivedUpTo + " (only its first")),
          "the file being written at the stop is only partly archived: " + status.gaps());
      assertTrue(status.gaps().contains(missing), "the purged files are gaps: " + status.gaps());
      assertEquals(0L, status.lagBytes(), "and the archive caught up past them: " + status);

      RestoreRequest past = new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_past"), "file:pass.txt",
          1, false, List.of(), false, false, false, false, Instant.now().toString());
      LifeboatException e = assertThrows(LifeboatException.class, () -> Binlogs.plan(workspace, past));
      assertEquals(ErrorCode.RECOVERY_TARGET_UNREACHABLE, e.code(), e.userMessage());
      assertTrue(e.userMessage().contains(archivedUpTo) || e.userMessage().contains(missing), e.userMessage());
    }
  }
}
