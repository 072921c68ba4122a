package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.check.CheckWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.CheckRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics over real HTTP after real backups: Lifeboat's metrics by database, and the Temporal SDK's. */
class WorkerMetricsTest {
  @TempDir Path dir;

  @Test
  void metricsEndpointServesBackupAlarmAndSdkMetrics() throws Exception {
    try (GpgKeys keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pass-" + UUID.randomUUID());
         WorkerMetrics metrics = new WorkerMetrics()) {
      TestRepositoryHome home = new TestRepositoryHome(dir, keys);
      home.sqlite("notes", 300);
      home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
      home.database("broken", "{ engine: sqlite, path: ./missing.db, repository: local }");
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
          .setUseTimeskipping(false).setMetricsScope(metrics.scope()).build());
      HttpServer server = metrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try {
        LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config(), metrics.activityMetrics()));
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        BackupResult ok = client.newWorkflowStub(BackupWorkflow.class, options("backup-notes"))
            .backup(new BackupRequest("notes", null));
        assertThrows(WorkflowFailedException.class, () -> client.newWorkflowStub(BackupWorkflow.class,
            options("backup-broken")).backup(new BackupRequest("broken", null)));
        client.newWorkflowStub(CheckWorkflow.class, options("check")).check(CheckRequest.all());

        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
        String body = scrapeUntil(url, "lifeboat_backup_failures_total");
        assertContains(body, "lifeboat_backup_last_success_timestamp_seconds{database=\"notes\"}");
        assertContains(body, "lifeboat_backup_size_bytes{database=\"notes\",kind=\"raw\"} " + (double) ok.rawBytes());
        assertContains(body, "lifeboat_backup_size_bytes{database=\"notes\",kind=\"stored\"} "
            + (double) ok.storedBytes());
        assertContains(body, "lifeboat_backup_duration_seconds{database=\"notes\"}");
        assertTrue(Pattern.compile("(?m)^lifeboat_backup_failures_total\\{[^}]*database=\"broken\"[^}]*} 1\\.0$")
            .matcher(body).find(), body);
        assertTrue(!Pattern.compile("lifeboat_backup_failures_total\\{[^}]*database=\"notes\"").matcher(body).find(),
            "notes never failed");
        assertContains(body, "lifeboat_alarm{database=\"broken\",reason=\"no-backup\"} 1.0");
        assertContains(body, "lifeboat_alarm{database=\"notes\",reason=\"no-backup\"} 0.0");
        assertTrue(Pattern.compile("(?m)^temporal_\\w+").matcher(body).find(), "the SDK's own metrics\n" + body);
      } finally {
        server.stop(0);
        env.close();
      }
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }

  /** The SDK's scope reports every second: wait for the counter recorded in workflow code to arrive. */
  private static String scrapeUntil(String url, String expected) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = "";
    for (int i = 0; i < 50 && !body.contains(expected); i++) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      body = response.body();
      if (!body.contains(expected)) {
        Thread.sleep(200);
      }
    }
    return body;
  }

  private static void assertContains(String body, String expected) {
    assertTrue(body.contains(expected), "missing " + expected + "\n" + body);
  }
}
