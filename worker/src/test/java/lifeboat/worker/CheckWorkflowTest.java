package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Heartbeats;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.check.CheckWorkflow;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.BackupHeartbeat;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.runbook.AlarmPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CheckWorkflow on the Temporal test server with the real activities, a real SQLite backup and webhook. */
class CheckWorkflowTest {
  private static GpgKeys keys;
  @TempDir Path dir;
  private TestRepositoryHome home;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private HttpServer hook;
  private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();

  @BeforeAll
  static void keys() {
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pass-" + UUID.randomUUID());
  }

  @AfterAll
  static void dropKeys() {
    keys.close();
  }

  @BeforeEach
  void start() throws Exception {
    home = new TestRepositoryHome(dir, keys);
    home.sqlite("notes", 500);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
    home.database("empty", "{ engine: sqlite, path: ./notes.db, repository: local }");
    // Real time: with time skipping, the test server jumps its clock to far-off timers (run timeouts of the
    // workflows already finished) whenever it is idle, and every backup would look years old.
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    if (hook != null) {
      hook.stop(0);
    }
  }

  private BackupResult backup(String database) {
    return client.newWorkflowStub(BackupWorkflow.class, options("backup-" + UUID.randomUUID()))
        .backup(new BackupRequest(database, null));
  }

  private CheckResult check(CheckRequest request) {
    return client.newWorkflowStub(CheckWorkflow.class, options("check-" + UUID.randomUUID())).check(request);
  }

  private CheckResult checkNotes() {
    return check(new CheckRequest(List.of("notes"), null, Map.of()));
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }

  private static DatabaseCheck only(CheckResult result) {
    assertEquals(1, result.databases().size(), result.toString());
    return result.databases().get(0);
  }

  private static List<String> kinds(DatabaseCheck check) {
    return check.alarms().stream().map(Alarm::kind).toList();
  }

  private FilesystemRepository repo() {
    return new FilesystemRepository(home.repository());
  }

  @Test
  void aVerifiedBackupWritesItsHeartbeatAndChecksOk() throws Exception {
    Instant before = Instant.now();
    BackupResult backup = backup("notes");
    BackupHeartbeat heartbeat = Heartbeats.read(repo(), "notes");
    assertNotNull(heartbeat, "heartbeat/notes.json after a backup");
    assertTrue(Files.isRegularFile(home.repository().resolve("heartbeat/notes.json")));
    assertEquals(backup.backupId(), heartbeat.backupId());
    assertEquals(backup.rawBytes(), heartbeat.rawBytes());
    assertEquals(backup.storedBytes(), heartbeat.storedBytes());
    assertTrue(!Instant.parse(heartbeat.time()).isBefore(before.minusSeconds(1)), heartbeat.toString());

    DatabaseCheck check = only(checkNotes());
    assertTrue(check.ok(), check.toString());
    assertEquals(backup.backupId(), check.newestBackupId());
    assertEquals(backup.rawBytes(), check.rawBytes());
    assertTrue(check.ageSeconds() < 600, check.toString());
  }

  @Test
  void aBackupOlderThanMaxAgeIsStale() throws Exception {
    backup("notes");
    Thread.sleep(2_000);
    DatabaseCheck check = only(check(new CheckRequest(List.of("notes"), new AlarmPolicy("1s", null), Map.of())));
    assertEquals(List.of(Alarm.STALE), kinds(check), check.toString());
    assertTrue(check.alarms().get(0).message().endsWith("old (limit 1s)"), check.toString());
    // A per-database override wins over the defaults.
    assertTrue(only(check(new CheckRequest(List.of("notes"), new AlarmPolicy("1s", null),
        Map.of("notes", new AlarmPolicy("1h", null))))).ok());
  }

  @Test
  void manifestsWrittenWithOldTimesAreStale() {
    Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
    writeManifest("20200101T000000Z-aaaa", now.minus(Duration.ofHours(30)), 1000);
    DatabaseCheck check = only(checkNotes());
    assertEquals(List.of(Alarm.STALE), kinds(check), check.toString());
    assertEquals(30 * 3600, check.ageSeconds(), 120);
  }

  @Test
  void aBackupThirtyPercentSmallerThanThePreviousIsAnAlarmTenPercentIsNot() {
    Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
    writeManifest("20200101T000000Z-aaaa", now.minus(Duration.ofHours(25)), 1000);
    writeManifest("20200102T000000Z-bbbb", now.minus(Duration.ofHours(1)), 900);
    DatabaseCheck tenPercent = only(checkNotes());
    assertTrue(tenPercent.ok(), tenPercent.toString());
    assertEquals(-10.0, tenPercent.sizeChangePercent(), 1e-9);

    writeManifest("20200103T000000Z-cccc", now.minus(Duration.ofMinutes(30)), 630);
    DatabaseCheck thirtyPercent = only(checkNotes());
    assertEquals(List.of(Alarm.SIZE_CHANGE), kinds(thirtyPercent), thirtyPercent.toString());
    assertTrue(thirtyPercent.alarms().get(0).message().contains("30.0% smaller"), thirtyPercent.toString());
  }

  @Test
  void everyConfiguredDatabaseIsCheckedAndOneWithoutBackupsIsAnAlarm() throws IOException {
    backup("notes");
    CheckResult result = client.newWorkflowStub(CheckWorkflow.class, options("check-1")).check(CheckRequest.all());
    assertEquals(List.of("notes", "empty"), result.databases().stream().map(DatabaseCheck::database).toList());
    assertTrue(result.databases().get(0).ok(), result.toString());
    assertEquals(List.of(Alarm.NO_BACKUP), kinds(result.databases().get(1)));
    assertEquals(1, result.alarmCount());
    assertEquals("no webhook configured", result.notification());
    String out = System.getProperty("lifeboat.recordHistories"); // as BackupRestoreWorkflowTest: for replay
    if (out != null) {
      Files.writeString(Path.of(out).resolve("check-1.json"), client.fetchHistory("check-1").toJson(true));
    }
  }

  @Test
  void anUnknownDatabaseIsAnAlarmNotAFailedCheck() {
    DatabaseCheck check = only(check(new CheckRequest(List.of("nope"), null, Map.of())));
    assertEquals(List.of(Alarm.UNREADABLE), kinds(check));
    assertTrue(check.alarms().get(0).message().contains("unknown database 'nope'"), check.toString());
  }

  @Test
  void alarmsArePostedToTheWebhookAsSlackJson() throws Exception {
    hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", exchange -> {
      posted.add(exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
    home.webhook("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");

    CheckResult fine = checkNotesAfterBackup();
    assertEquals("none", fine.notification(), "nothing is posted when all is well");
    assertEquals(0, posted.size());

    CheckResult result = check(CheckRequest.all());
    assertEquals("sent", result.notification());
    String request = posted.poll(10, TimeUnit.SECONDS);
    assertNotNull(request);
    String[] parts = request.split("\n", 2);
    assertEquals("application/json", parts[0]);
    JsonNode body = new ObjectMapper().readTree(parts[1]);
    assertEquals(1, body.size(), "Slack-compatible: a single text field");
    String text = body.get("text").asText();
    assertTrue(text.startsWith("Lifeboat: 1 database needs attention"), text);
    assertTrue(text.contains("• empty: no-backup: no verified backup of empty"), text);
  }

  private CheckResult checkNotesAfterBackup() {
    backup("notes");
    return checkNotes();
  }

  @Test
  void anUnreachableWebhookDoesNotHideTheAlarms() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    home.webhook("http://127.0.0.1:" + port + "/hook");
    CheckResult result = check(new CheckRequest(List.of("empty"), null, Map.of()));
    assertEquals(List.of(Alarm.NO_BACKUP), kinds(only(result)));
    assertTrue(result.notification().startsWith("failed: webhook at http://127.0.0.1:" + port + " unreachable"),
        result.notification());
    assertTrue(!result.notification().contains("/hook"), "the URL's path (its credential) stays out");
  }

  private void writeManifest(String backupId, Instant endedAt, long rawBytes) {
    Manifests.write(repo(), new BackupManifest(BackupManifest.FORMAT_VERSION, backupId, "notes", "sqlite", "3",
        null, "local", "backups/notes/" + backupId + "/data.zst.pgp", "here", endedAt.minusSeconds(5).toString(),
        endedAt.toString(), rawBytes, rawBytes / 3, "00", "zstd-3", "openpgp-aes256", List.of(), true, "sha256 ok"));
  }
}
