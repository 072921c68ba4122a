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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.activities.testing.DuckDbFiles;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.model.BackupResult;
import org.junit.jupiter.api.Test;

/**
 * WorkerKillTest's promise for a DuckDB database, on the real Temporal server: a worker SIGKILLed while its
 * staged export streams into the repository loses nothing but time. The replacement exports again; its export
 * removes the folder the killed worker staged (its process is gone); what remains is one verified backup that
 * restores to the same rows, and no partial object.
 */
class DuckDbWorkerKillTest {
  private static final long ROWS = 3_000_000;
  private static final long KILL_AT_BYTES = 16L << 20;

  @Test
  void aWorkerKilledMidStreamIsReplacedTheStagingIsSweptAndTheBackupCompletesOnce() throws Exception {
    try (LifeboatHome home = LifeboatHome.create(); LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      Path file = home.dir().resolve("big.duckdb");
      // md5 text: hex digits, which Parquet's zstd only halves, so the stored stream stays large and takes seconds.
      DuckDbFiles.sql(file, "CREATE TABLE big AS SELECT i AS id, md5(i::VARCHAR) AS a, md5((i * 3)::VARCHAR) AS b,"
          + " md5((i * 7)::VARCHAR) AS c FROM range(" + ROWS + ") t(i)");
      home.database("big", "{ engine: duckdb, path: ./big.duckdb, repository: local }").writeConfig();
      WorkflowClient client = stack.client();

      CliProcess first = Workers.start(stack, home);
      CliProcess second = null;
      try {
        String id = WorkflowRuns.startBackup(client, "big");
        long killedAt = awaitPartialOver(home, KILL_AT_BYTES, first);
        long firstPid = first.process().pid();
        assertEquals(1, stagedBy(firstPid).size(), "the killed worker's export is staged");
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
        assertEquals(List.of(), stagedBy(firstPid), "the replacement removed the killed worker's staging folder");
        assertEquals(List.of(), stagedBy(second.process().pid()), "and its own, once streamed");

        List<Path> manifests = home.repositoryFiles("manifest.json");
        assertEquals(1, manifests.size(), "one backup: " + manifests);
        JsonNode manifest = new ObjectMapper().readTree(manifests.get(0).toFile());
        assertEquals("duckdb", manifest.get("engine").asText(), manifest.toString());
        assertTrue(manifest.get("snapshot").get("stagedBytes").asLong() > 0, manifest.toString());
        assertEquals(List.of(), home.repositoryFiles(".partial-"), "no partial object anywhere");
        assertEquals(1, backupFolders(home.repository().resolve("backups/big")), "one backup folder");
        assertDumpRanTwiceAfterAHeartbeatTimeout(client, id, second.process().pid());

        Path restored = home.dir().resolve("restored.duckdb");
        String restore = WorkflowRuns.startRestore(client, "big", restored.toString(), null);
        WorkflowRuns.restoreResult(client, restore, Duration.ofMinutes(5));
        String rows = "SELECT count(*) || ' ' || hash(sum(hash(id, a, b, c))) FROM big";
        assertEquals(DuckDbFiles.value(file, rows), DuckDbFiles.value(restored, rows));
        assertTrue(DuckDbFiles.value(restored, "SELECT count(*) FROM big").equals(String.valueOf(ROWS)));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** Staging folders a worker process of that pid made in the temp folder. */
  private static List<Path> stagedBy(long pid) throws Exception {
    try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return all.filter(p -> p.getFileName().toString().startsWith("lifeboat-duckdb-export-" + pid + "-")).toList();
    }
  }
}
