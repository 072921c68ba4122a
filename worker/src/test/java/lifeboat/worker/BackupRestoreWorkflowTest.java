package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.catalog.ListBackupsWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.restore.RestoreWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore workflows on the Temporal test server, with the real activities, gpg keys and SQLite. */
class BackupRestoreWorkflowTest {
  private static GpgKeys keys;
  @TempDir Path dir;
  private TestRepositoryHome home;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private Path source;

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
    source = home.sqlite("notes", 2000);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local,"
        + " schemaVersionQuery: \"select v from schema_version\" }");
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }

  private BackupResult backup(String id) {
    return client.newWorkflowStub(BackupWorkflow.class, options(id)).backup(new BackupRequest("notes", null, null));
  }

  private RestoreWorkflow restoreStub(String id) {
    return client.newWorkflowStub(RestoreWorkflow.class, options(id));
  }

  @Test
  void backupListsVerifiesAndRestores() throws Exception {
    BackupResult result = backup("backup-1");
    assertTrue(result.verified());
    assertTrue(result.storedBytes() > 0 && result.storedBytes() < result.rawBytes(), result.toString());

    WorkflowProgress progress = client.newWorkflowStub(BackupWorkflow.class, "backup-1").progress();
    assertEquals("completed", progress.state());
    assertEquals(List.of("prepare", "dump-to-repository", "verify", "publish-manifest"),
        progress.steps().stream().map(StepRecord::name).toList());
    assertTrue(progress.steps().stream().allMatch(s -> s.outcome().equals("ok")));

    List<BackupManifest> listed =
        client.newWorkflowStub(ListBackupsWorkflow.class, options("list-1")).list("notes").backups();
    assertEquals(1, listed.size());
    BackupManifest manifest = listed.get(0);
    assertEquals(result.backupId(), manifest.backupId());
    assertEquals("7", manifest.schemaVersion());
    assertEquals(List.of(keys.fingerprint()), manifest.recipients());
    assertTrue(manifest.verification().startsWith("sha256 ok; integrity ok"), manifest.verification());

    Path target = dir.resolve("restored/notes.db");
    RestoreResult restored = restoreStub("restore-1").restore(
        new RestoreRequest("notes", RestoreRequest.LATEST, target.toString(), null, 1, false));
    assertEquals(result.backupId(), restored.backupId());
    assertEquals(TestRepositoryHome.count(source, "notes"), TestRepositoryHome.count(target, "notes"));
    recordHistories("backup-1", "restore-1");
  }

  /**
   * With -Dlifeboat.recordHistories=DIR, writes the histories WorkflowReplayTest replays. Re-record only after
   * a deliberate, versioned change of workflow code; a replay failure otherwise means a determinism break.
   */
  private void recordHistories(String... workflowIds) throws Exception {
    String out = System.getProperty("lifeboat.recordHistories");
    if (out == null) {
      return;
    }
    for (String id : workflowIds) {
      Files.writeString(Path.of(out).resolve(id + ".json"), client.fetchHistory(id).toJson(true));
    }
  }

  @Test
  void refusesANonEmptyTargetWithoutClean() throws Exception {
    backup("backup-2");
    Path target = home.sqlite("occupied", 3);
    long before = Files.size(target);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> restoreStub("restore-2")
        .restore(new RestoreRequest("notes", RestoreRequest.LATEST, target.toString(), null, 1, false)));
    assertEquals("TARGET_NOT_EMPTY", failureType(e));
    assertEquals(before, Files.size(target));
    assertEquals(3, TestRepositoryHome.count(target, "notes"));

    RestoreResult forced = restoreStub("restore-3")
        .restore(new RestoreRequest("notes", RestoreRequest.LATEST, target.toString(), null, 1, true));
    assertTrue(forced.check().startsWith("integrity ok"));
    assertEquals(2000, TestRepositoryHome.count(target, "notes"));
  }

  @Test
  void corruptObjectIsCaughtBeforeTheTargetIsTouched() throws Exception {
    BackupResult result = backup("backup-4");
    Path object = home.repositoryFiles().filter(p -> p.toString().endsWith(".pgp")).findFirst().orElseThrow();
    try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
      long middle = f.length() / 2;
      f.seek(middle);
      int b = f.read();
      f.seek(middle);
      f.write(b ^ 0x01);
    }
    Path target = dir.resolve("never/notes.db");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> restoreStub("restore-4")
        .restore(new RestoreRequest("notes", result.backupId(), target.toString(), null, 1, false)));
    assertEquals("CHECKSUM_MISMATCH", failureType(e));
    assertFalse(Files.exists(target));
    WorkflowProgress progress = client.newWorkflowStub(RestoreWorkflow.class, "restore-4").progress();
    assertEquals("failed", progress.state());
    assertEquals(List.of("resolve-backup", "check-target", "verify-checksum"),
        progress.steps().stream().map(StepRecord::name).toList(), "restore-into-target must never start");
    assertEquals(1, startedAttempts("restore-4", "VerifyChecksum"), "a corrupt object is not retried");
  }

  @Test
  void unknownDatabaseFailsAtOnceWithTheConfiguredNames() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> client
        .newWorkflowStub(BackupWorkflow.class, options("backup-5")).backup(new BackupRequest("nosuch", null, null)));
    assertEquals("UNKNOWN_DATABASE", failureType(e));
    assertTrue(e.getCause().getCause().getMessage().contains("configured databases: notes"));
    assertEquals(1, startedAttempts("backup-5", "PrepareBackup"));
  }

  private static String failureType(WorkflowFailedException e) {
    ActivityFailure activity = (ActivityFailure) e.getCause();
    return ((ApplicationFailure) activity.getCause()).getType();
  }

  /** The attempt number of the activity's last start: retries show as one start event with attempt N. */
  private int startedAttempts(String workflowId, String activityType) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getHistory().getEventsList();
    long scheduledId = events.stream()
        .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(ev -> ev.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
        .mapToLong(HistoryEvent::getEventId).findFirst().orElseThrow();
    return events.stream()
        .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .filter(ev -> ev.getActivityTaskStartedEventAttributes().getScheduledEventId() == scheduledId)
        .mapToInt(ev -> ev.getActivityTaskStartedEventAttributes().getAttempt()).max().orElse(0);
  }
}
