package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import lifeboat.activities.config.Config;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.retention.RetentionActivitiesImpl;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.retention.RetentionWorkflow;
import lifeboat.workflows.retention.RetentionWorkflowImpl;
import lifeboat.workflows.runbook.RetentionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetentionWorkflow on the Temporal test server with the real activities and a filesystem repository. Backups
 * are simulated cheaply (a manifest and a small object each), except in the after-a-backup test.
 */
class RetentionWorkflowTest {
  private static final Instant NOW = Instant.parse("2026-11-26T05:00:00Z");
  private static final RetentionPolicy ZERO = new RetentionPolicy(0, 0, 0, 0, "0s", "UTC");
  private static GpgKeys keys;
  @TempDir Path dir;
  private TestRepositoryHome home;
  private Repository repo;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeAll
  static void keys() {
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pass-" + UUID.randomUUID());
  }

  @AfterAll
  static void dropKeys() {
    keys.close();
  }

  @BeforeEach
  void home() throws Exception {
    home = new TestRepositoryHome(dir, keys);
    home.sqlite("notes", 200);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local }");
    repo = new FilesystemRepository(home.repository());
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** The production worker, on a test server whose clock starts at {@code now}. */
  private void startWorker(Instant now) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(now).build());
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()));
    env.start();
    client = env.getWorkflowClient();
  }

  /** Retention alone, over a repository {@code wrap} may make fail; retries are quick and few. */
  private void startWorker(BiFunction<Config, Repository, Repository> wrap) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(NOW).build());
    Workspace workspace = Workspace.fromFile(home.config());
    Worker worker = env.getWorkerFactory().newWorker(TaskQueues.LIFEBOAT);
    ActivityOptions fast = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50)).setMaximumAttempts(2)
            .setDoNotRetry(ActivityPolicies.DO_NOT_RETRY).build()).build();
    worker.registerWorkflowImplementationTypes(
        WorkflowImplementationOptions.newBuilder().setDefaultActivityOptions(fast).build(),
        RetentionWorkflowImpl.class);
    worker.registerActivitiesImplementations(new RetentionActivitiesImpl(workspace,
        (cfg, name) -> wrap.apply(cfg, workspace.repository(cfg, name))));
    env.start();
    client = env.getWorkflowClient();
  }

  private RetentionResult retention(RetentionPolicy policy, boolean dryRun) {
    return client.newWorkflowStub(RetentionWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(RetentionWorkflow.workflowId("notes")).build())
        .run(new RetentionRequest("notes", policy, dryRun));
  }

  /** A backup as the repository holds it: a small object and its manifest. */
  private BackupManifest fake(Instant started, boolean verified) {
    String id = BackupIds.newId(started.toEpochMilli(), new UUID(0, started.getEpochSecond()));
    String key = BackupLayout.objectKey("notes", id, true);
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(("backup " + id).getBytes(StandardCharsets.UTF_8));
      out.commit();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    BackupManifest m = new BackupManifest(1, id, "notes", "sqlite", "3", null, "local", key, repo.locate(key),
        started.toString(), started.plusSeconds(30).toString(), 100, 50, "00", "zstd-3", "openpgp-aes256",
        List.of(), verified, verified ? "sha256 ok" : "not verified");
    Manifests.write(repo, m);
    return m;
  }

  /** Nightly verified backups at 02:00 UTC, {@code first} to {@code last} inclusive, oldest first. */
  private List<BackupManifest> nightly(String first, String last) {
    List<BackupManifest> out = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
      out.add(fake(Instant.parse(d + "T02:00:00Z"), true));
    }
    return out;
  }

  private List<String> listedDays() {
    return Manifests.list(repo, "notes").stream().map(m -> m.startedAt().substring(0, 10)).toList();
  }

  private boolean anyFileOf(BackupManifest m) {
    return Files.exists(home.repository().resolve(BackupLayout.backupPrefix("notes", m.backupId())));
  }

  private List<String> steps(String workflowId) {
    return client.newWorkflowStub(RetentionWorkflow.class, workflowId).progress().steps().stream()
        .map(StepRecord::name).distinct().toList();
  }

  @Test
  void fourHundredNightsKeepTheGfsSetAndTheRestIsGoneManifestAndData() {
    List<BackupManifest> all = nightly("2025-10-23", "2026-11-26");
    startWorker(NOW);

    RetentionResult result = retention(null, false);

    assertNull(result.refusal());
    assertEquals(380, result.count(RetentionDecision.DELETED));
    assertEquals(20, result.count(RetentionDecision.KEPT));
    List<String> expected = List.of("2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22",
        "2026-11-21", "2026-11-20", "2026-11-15", "2026-11-08", "2026-10-31", "2026-09-30", "2026-08-31",
        "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31",
        "2025-12-31");
    assertEquals(expected, listedDays());
    for (BackupManifest m : all) {
      assertEquals(expected.contains(m.startedAt().substring(0, 10)), anyFileOf(m), m.backupId());
    }
    assertTrue(repo.exists(RetentionActivitiesImpl.recordKey("notes")));
    assertEquals(List.of("list-backups", "plan", "record-kept", "delete-backup"),
        steps(RetentionWorkflow.workflowId("notes")));

    RetentionResult again = retention(null, false);
    assertNull(again.refusal(), "the record of the first run matches the listing");
    assertEquals(20, again.count(RetentionDecision.KEPT));
    assertEquals(expected, listedDays());
  }

  @Test
  void aDryRunDeletesAndWritesNothing() throws Exception {
    nightly("2026-10-01", "2026-11-26");
    long files = home.repositoryFiles().count();
    startWorker(NOW);

    RetentionResult result = retention(null, true);

    assertTrue(result.dryRun());
    assertNull(result.refusal());
    assertEquals(57 - 10, result.count(RetentionDecision.WOULD_DELETE), result.toString());
    assertEquals(0, result.count(RetentionDecision.DELETED));
    assertEquals(files, home.repositoryFiles().count());
    assertFalse(repo.exists(RetentionActivitiesImpl.recordKey("notes")));
  }

  @Test
  void anUnverifiedNewestBackupStopsAllDeletion() throws Exception {
    nightly("2026-10-01", "2026-11-25");
    fake(Instant.parse("2026-11-26T02:00:00Z"), false);
    long files = home.repositoryFiles().count();
    startWorker(NOW);

    RetentionResult result = retention(ZERO, false);

    assertTrue(result.refusal().contains("is not verified"), result.refusal());
    assertTrue(result.count(RetentionDecision.REFUSED) > 50);
    assertEquals(0, result.count(RetentionDecision.DELETED));
    assertEquals(files, home.repositoryFiles().count());
  }

  @Test
  void theNewestVerifiedBackupSurvivesAnAllZeroPolicy() {
    List<BackupManifest> all = nightly("2026-11-01", "2026-11-26");
    startWorker(NOW);

    RetentionResult result = retention(ZERO, false);

    assertNull(result.refusal());
    assertEquals(List.of("2026-11-26"), listedDays());
    assertEquals("newest verified", result.decisions().get(0).reason());
    assertTrue(anyFileOf(all.get(all.size() - 1)));
    assertFalse(anyFileOf(all.get(0)));
    Histories.record(client, RetentionWorkflow.workflowId("notes"), "retention-1");
  }

  @Test
  void anUnreadableManifestStopsAllDeletion() throws Exception {
    List<BackupManifest> all = nightly("2026-11-01", "2026-11-26");
    Files.writeString(home.repository().resolve(BackupLayout.manifestKey("notes", all.get(3).backupId())), "{ oops");
    long files = home.repositoryFiles().count();
    startWorker(NOW);

    RetentionResult result = retention(ZERO, false);

    assertTrue(result.refusal().startsWith("the listing cannot be trusted: manifest of " + all.get(3).backupId()
        + " is unreadable"), result.refusal());
    assertEquals(files, home.repositoryFiles().count());
  }

  @Test
  void backupsThePreviousRunKeptMissingFromTheListingStopAllDeletion() throws Exception {
    nightly("2026-09-01", "2026-11-20");
    startWorker(NOW);
    assertNull(retention(null, false).refusal());
    List<String> keptByFirstRun = listedDays();
    // A listing that lost some of them (a truncated page, a wrong prefix, a hand-made deletion) ...
    BackupManifest lost = Manifests.list(repo, "notes").get(5);
    repo.remove(BackupLayout.manifestKey("notes", lost.backupId()));
    nightly("2026-11-21", "2026-11-26");
    long files = home.repositoryFiles().count();

    RetentionResult result = retention(null, false);

    assertTrue(result.refusal().contains("1 of the " + keptByFirstRun.size() + " backups the previous run kept"),
        result.refusal());
    assertTrue(result.refusal().contains(lost.backupId()), result.refusal());
    assertEquals(files, home.repositoryFiles().count(), "nothing deleted");
  }

  @Test
  void aFailingListingFailsTheWorkflowAndDeletesNothing() throws Exception {
    nightly("2026-11-01", "2026-11-26");
    long files = home.repositoryFiles().count();
    startWorker((cfg, real) -> new FaultyRepository(real, key -> true, key -> false, ErrorCode.STORAGE_FAILED));

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> retention(ZERO, false));

    assertTrue(lifeboat.workflows.StepLog.describe(e.getCause()).contains("STORAGE_FAILED"), e.toString());
    assertEquals(files, home.repositoryFiles().count());
    assertEquals("failed", client.newWorkflowStub(RetentionWorkflow.class, RetentionWorkflow.workflowId("notes"))
        .progress().state());
  }

  @Test
  void theManifestGoesFirstSoAFailedDataDeletionLeavesNoListedBackup() {
    BackupManifest old = fake(Instant.parse("2026-11-20T02:00:00Z"), true);
    fake(Instant.parse("2026-11-25T02:00:00Z"), true);
    startWorker((cfg, real) -> new FaultyRepository(real, key -> false,
        key -> !key.endsWith(BackupLayout.MANIFEST), ErrorCode.STORAGE_FAILED));

    assertThrows(WorkflowFailedException.class, () -> retention(ZERO, false));

    assertEquals(List.of("2026-11-25"), listedDays(), "the backup left listings before its data was touched");
    assertTrue(repo.exists(old.objectKey()), "its data is still there: a leftover the next backup's sweep removes");
  }

  @Test
  void aBackupUnderObjectLockIsSkippedBeforeAnythingIsRemoved() {
    BackupManifest locked = fake(Instant.parse("2026-11-20T02:00:00Z"), true);
    fake(Instant.parse("2026-11-21T02:00:00Z"), true);
    fake(Instant.parse("2026-11-25T02:00:00Z"), true);
    Instant until = Instant.now().plus(Duration.ofDays(30));
    startWorker((cfg, real) -> new FaultyRepository(real, key -> false, key -> false, ErrorCode.STORAGE_FAILED) {
      @Override
      public java.util.Optional<Instant> lockedUntil(String key) {
        return key.equals(locked.objectKey()) ? java.util.Optional.of(until) : java.util.Optional.empty();
      }
    });

    RetentionResult result = retention(ZERO, false);

    RetentionDecision skipped = result.decisions().stream()
        .filter(d -> d.backupId().equals(locked.backupId())).findFirst().orElseThrow();
    assertEquals(RetentionDecision.SKIPPED_PREFIX + "locked until " + until + " (" + locked.objectKey() + ")",
        skipped.outcome());
    assertEquals(1, result.count(RetentionDecision.DELETED));
    assertEquals(List.of("2026-11-25", "2026-11-20"), listedDays(), "manifest and data of the locked one stay");
    assertTrue(repo.exists(locked.objectKey()));
  }

  @Test
  void aLockedBackupIsAReportedSkipAndStaysListed() {
    BackupManifest locked = fake(Instant.parse("2026-11-20T02:00:00Z"), true);
    BackupManifest free = fake(Instant.parse("2026-11-21T02:00:00Z"), true);
    fake(Instant.parse("2026-11-25T02:00:00Z"), true);
    startWorker((cfg, real) -> new FaultyRepository(real, key -> false,
        key -> key.equals(locked.objectKey()), ErrorCode.OBJECT_LOCKED));

    RetentionResult result = retention(ZERO, false);

    assertNull(result.refusal());
    RetentionDecision skipped = result.decisions().stream()
        .filter(d -> d.backupId().equals(locked.backupId())).findFirst().orElseThrow();
    assertTrue(skipped.outcome().startsWith("skipped: locked"), skipped.outcome());
    assertEquals(1, result.count(RetentionDecision.SKIPPED_PREFIX));
    assertEquals(1, result.count(RetentionDecision.DELETED));
    assertFalse(anyFileOf(free));
    assertEquals(List.of("2026-11-25", "2026-11-20"), listedDays(), "the locked backup is listed again");
    assertTrue(repo.exists(locked.objectKey()));
  }

  @Test
  void aBackupWithARetentionPolicyPrunesAfterwardsAndOneWithoutDoesNot() {
    Instant now = Instant.now();
    for (int daysAgo = 11; daysAgo >= 2; daysAgo--) {
      fake(now.minus(Duration.ofDays(daysAgo)), true);
    }
    startWorker(now);
    BackupWorkflow plain = client.newWorkflowStub(BackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("backup-plain").build());
    plain.backup(new BackupRequest("notes", null, null));
    assertEquals(11, Manifests.list(repo, "notes").size(), "no policy, no pruning");

    BackupWorkflow pruning = client.newWorkflowStub(BackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId("backup-pruning").build());
    String id = pruning.backup(new BackupRequest("notes", null, new RetentionPolicy(3, 0, 0, 0, "0s", "UTC")))
        .backupId();

    List<BackupManifest> left = Manifests.list(repo, "notes");
    assertEquals(id, left.get(0).backupId());
    // today's two real backups share a day: the newer represents it; then the two newest simulated days
    assertEquals(3, left.size(), left.toString());
    assertEquals(List.of("prepare", "dump-to-repository", "verify", "publish-manifest", "retention"),
        client.newWorkflowStub(BackupWorkflow.class, "backup-pruning").progress().steps().stream()
            .map(s -> s.name() + (s.outcome().equals("ok") ? "" : ":" + s.outcome())).toList());
  }

  /** A repository whose list or remove fails with {@code code} for the keys the predicates pick. */
  private static class FaultyRepository implements Repository {
    private final Repository real;
    private final Predicate<String> failList;
    private final Predicate<String> failRemove;
    private final ErrorCode code;

    FaultyRepository(Repository real, Predicate<String> failList, Predicate<String> failRemove, ErrorCode code) {
      this.real = real;
      this.failList = failList;
      this.failRemove = failRemove;
      this.code = code;
    }

    @Override
    public boolean exists(String key) {
      return real.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      if (failList.test(prefix)) {
        throw new LifeboatException(code, "listing " + prefix + " failed", "test");
      }
      return real.list(prefix);
    }

    @Override
    public InputStream read(String key) {
      return real.read(key);
    }

    @Override
    public PendingWrite write(String key) {
      return real.write(key);
    }

    @Override
    public void remove(String key) {
      if (failRemove.test(key)) {
        throw new LifeboatException(code, "cannot remove " + key, "test");
      }
      real.remove(key);
    }

    @Override
    public void removeAbandonedWrites(String prefix, Duration olderThan) {
      real.removeAbandonedWrites(prefix, olderThan);
    }

    @Override
    public String locate(String key) {
      return real.locate(key);
    }
  }
}
