package lifeboat.cli;

import static lifeboat.cli.testing.KillPoints.assertDumpRanTwiceAfterAHeartbeatTimeout;
import static lifeboat.cli.testing.KillPoints.awaitPartialOver;
import static lifeboat.cli.testing.KillPoints.backupFolders;
import static lifeboat.cli.testing.KillPoints.resultOrHistory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.model.BackupResult;
import org.junit.jupiter.api.Test;

/**
 * WorkerKillTest's promise for a MariaDB database, on the real Temporal server: a worker SIGKILLed while
 * mariadb-dump streams into the repository loses nothing but time. The replacement dumps again from scratch;
 * what remains is one verified backup that restores to the same CHECKSUM TABLE, no partial object, and no
 * mariadb-dump of the killed attempt still running (its pipe's reader died with the JVM, so its next write
 * ends it).
 */
class MariaDbWorkerKillTest {
  private static final long ROWS = 1_500_000;
  private static final long KILL_AT_BYTES = 16L << 20;

  @Test
  void aWorkerKilledMidDumpIsReplacedAndTheBackupCompletesOnce() throws Exception {
    try (MariaDbServer maria = MariaDbServer.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      maria.createDatabase("big");
      maria.createDatabase("fresh");
      // md5 text: hex digits, which zstd only halves, so the stored stream stays large and takes seconds.
      maria.exec("big", "CREATE TABLE big(id BIGINT PRIMARY KEY, a CHAR(32), b CHAR(32), c CHAR(32))"
          + " ENGINE=InnoDB; INSERT INTO big SELECT seq, md5(seq), md5(seq * 3), md5(seq * 7)"
          + " FROM seq_1_to_" + ROWS);
      Path password = home.writeSecret("maria-password", maria.password());
      home.database("big", "{ engine: mariadb, url: \"" + maria.url("big") + "\", password: \"file:"
          + password.getFileName() + "\", repository: local }").writeConfig();
      WorkflowClient client = stack.client();

      CliProcess first = Workers.start(stack, home);
      CliProcess second = null;
      try {
        String id = WorkflowRuns.startBackup(client, "big");
        long killedAt = awaitPartialOver(home, KILL_AT_BYTES, first);
        first.kill();
        assertFalse(first.process().isAlive(), "the first worker is gone");
        assertTrue(home.repositoryFiles("manifest.json").isEmpty(), "no backup exists yet");

        second = Workers.start(stack, home);
        BackupResult result = resultOrHistory(client, id, BackupResult.class, Duration.ofMinutes(4), second);
        System.out.printf("killed at %d stored bytes; backup %d raw, %d stored, %d ms%n", killedAt,
            result.rawBytes(), result.storedBytes(), result.durationMillis());
        assertTrue(result.verified(), "verified");
        assertTrue(result.storedBytes() > 2 * killedAt,
            "the kill came mid-stream: " + killedAt + " of " + result.storedBytes() + " bytes");

        List<Path> manifests = home.repositoryFiles("manifest.json");
        assertEquals(1, manifests.size(), "one backup: " + manifests);
        JsonNode manifest = new ObjectMapper().readTree(manifests.get(0).toFile());
        assertEquals("mariadb", manifest.get("engine").asText(), manifest.toString());
        assertTrue(manifest.get("verified").asBoolean(), manifest.toString());
        assertEquals(List.of(), home.repositoryFiles(".partial-"), "no partial object anywhere");
        assertEquals(1, backupFolders(home.repository().resolve("backups/big")), "one backup folder");
        assertDumpRanTwiceAfterAHeartbeatTimeout(client, id, second.process().pid());
        assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.processlist"
            + " WHERE db = 'big' AND id <> connection_id()"), "no dump of the killed attempt still reads");

        String restore = WorkflowRuns.startRestore(client, "big", maria.url("fresh"), "file:" + password);
        WorkflowRuns.restoreResult(client, restore, Duration.ofMinutes(5));
        assertEquals(checksum(maria, "big"), checksum(maria, "fresh"));
        assertEquals(String.valueOf(ROWS), maria.exec("fresh", "SELECT count(*) FROM big"));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** CHECKSUM TABLE's value alone (its first column names the database). */
  private static String checksum(MariaDbServer maria, String db) {
    return maria.exec(db, "CHECKSUM TABLE big").split("\t")[1];
  }
}
