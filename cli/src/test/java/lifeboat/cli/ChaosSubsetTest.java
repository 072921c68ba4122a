package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.S3ProxyServer;
import lifeboat.cli.testing.KillPoints;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.workflows.model.BackupResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The part of the fault gauntlet (bench/chaos.sh, docs/reliability.md) that runs in CI: the S3 server dies in
 * the middle of a backup's multipart upload and comes back. The dump step fails, is retried once the server
 * answers again, and what is left is one verified backup and no unfinished multipart upload (the retry aborts
 * the killed attempt's). Real PostgreSQL, real s3proxy killed with SIGKILL, an in-process worker.
 */
class ChaosSubsetTest {
  private static final long ROWS = 600_000;
  private static final Duration OUTAGE = Duration.ofSeconds(2);

  @Test
  void s3KilledMidUploadAndRestartedLeavesOneVerifiedBackupAndNoUpload() throws Exception {
    try (PgCluster pg = PgCluster.start(); S3ProxyServer s3 = S3ProxyServer.start();
         LifeboatHome home = LifeboatHome.create()) {
      pg.createDatabase("shop");
      // md5 text: zstd only halves it, so the object is about 35 MB: seven 5 MB parts, seconds of upload.
      pg.exec("shop", "CREATE TABLE big(id bigint PRIMARY KEY, a text, b text, c text);"
          + " INSERT INTO big SELECT g, md5(g::text), md5((g * 3)::text), md5((g * 7)::text)"
          + " FROM generate_series(1, " + ROWS + ") g;");
      String bucket = s3.newBucket();
      home.writeSecret("s3-key-id", S3ProxyServer.IDENTITY);
      home.writeSecret("s3-secret", S3ProxyServer.CREDENTIAL);
      home.writeSecret("pgpass-shop", pg.password());
      home.repository("offsite", "{ type: s3, bucket: " + bucket + ", region: us-east-1, endpoint: \""
              + s3.endpoint() + "\", pathStyle: true, accessKeyId: file:s3-key-id, secretAccessKey: file:s3-secret,"
              + " partSizeMb: 5 }")
          .database("shop", "{ engine: postgres, url: \"" + pg.url("shop")
              + "\", password: \"file:pgpass-shop\", repository: offsite }")
          .writeConfig();

      try (LocalStack stack = LocalStack.withWorker(home.config())) {
        WorkflowClient client = stack.client();
        String id = WorkflowRuns.startBackup(client, "shop");
        MultipartUpload killed = awaitUploadWithAPart(s3.client(), bucket, client, id);
        s3.kill();
        Thread.sleep(OUTAGE.toMillis()); // the worker's requests meet a closed port meanwhile
        s3.restart();

        BackupResult result;
        try {
          result = WorkflowRuns.backupResult(client, id, Duration.ofMinutes(3));
        } catch (RuntimeException | AssertionError e) {
          throw new AssertionError(e.getMessage() + "\nhistory:\n" + KillPoints.eventSummary(client, id), e);
        }
        assertTrue(result.verified(), result.toString());
        List<String> keys = s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
            .map(S3Object::key).toList();
        List<String> manifests = keys.stream().filter(k -> k.endsWith("manifest.json")).toList();
        assertEquals(1, manifests.size(), "one backup: " + keys);
        assertEquals(1, keys.stream().filter(k -> k.endsWith("data.zst.pgp")).count(), "one data object: " + keys);
        JsonNode manifest = new ObjectMapper().readTree(
            s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(manifests.get(0))).asByteArray());
        assertTrue(manifest.get("verified").asBoolean(), manifest.toString());
        assertEquals(result.backupId(), manifest.get("backupId").asText());
        assertEquals(List.of(), s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads(),
            "no unfinished multipart upload (the killed one was " + killed.uploadId() + ")");
        assertTrue(dumpAttempt(client, id) >= 2, "the dump was retried after the outage:\n"
            + KillPoints.eventSummary(client, id));
      }
    }
  }

  /** Polls until the backup's multipart upload has stored a part: the kill then lands mid-upload. */
  private static MultipartUpload awaitUploadWithAPart(S3Client s3, String bucket, WorkflowClient client, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
        if (!s3.listParts(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().isEmpty()) {
          return upload;
        }
      }
      assertTrue(!WorkflowRuns.isClosed(client, id), "the backup finished before the kill");
      Thread.sleep(50);
    }
    throw new AssertionError("no multipart upload with a part within 2 minutes");
  }

  /** The attempt of DumpToRepository that completed. */
  private static int dumpAttempt(WorkflowClient client, String id) {
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .filter(e -> KillPoints.activityType(events, e.getActivityTaskStartedEventAttributes().getScheduledEventId())
            .equals("DumpToRepository"))
        .mapToInt(e -> e.getActivityTaskStartedEventAttributes().getAttempt()).max().orElse(0);
  }
}
