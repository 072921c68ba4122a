package lifeboat.worker;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.workflows.TaskQueues;

/**
 * Timeouts and retry policies per activity type: the one place to read how long a step may take, how a dead
 * worker is noticed, and which failures are never retried. Workflows create their stubs without options
 * and get these through {@link #workflowOptions()}.
 */
public final class ActivityPolicies {
  /**
   * A killed worker stops heartbeating; its step is retried elsewhere within this time. Every step has it: the
   * long ones heartbeat their progress, the others get a heartbeat from the worker while they run
   * ({@link LivenessHeartbeats}).
   */
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  /** The WAL stream's, shorter: see {@link #walStream()}. */
  static final Duration WAL_HEARTBEAT = Duration.ofSeconds(10);

  /**
   * The steps that heartbeat by themselves (most with their byte progress as details, which `lifeboat status`
   * shows): {@link LivenessHeartbeats} leaves them alone. Every other step would time out without it.
   */
  static final Set<String> HEARTBEAT_THEMSELVES = Set.of("DumpToRepository", "VerifyBackup", "VerifyChecksum",
      "RestoreIntoTarget", "CreateThrowawayTarget", "Migrate", "CheckSchema", "RebuildOldPrimary", "StreamWal",
      "BaseBackupToRepository", "RestoreBaseBackup", "FetchWal", "RecoverToTarget", "AwaitArchived");

  /** Errors a user must fix: retrying cannot help, so the workflow fails at once with the hint. */
  static final String[] DO_NOT_RETRY = Arrays.stream(ErrorCode.values())
      .filter(ErrorCode::userFixable).map(Enum::name).toArray(String[]::new);

  private ActivityPolicies() {}

  public static WorkflowImplementationOptions workflowOptions() {
    return WorkflowImplementationOptions.newBuilder()
        .setDefaultActivityOptions(quick(Duration.ofMinutes(2)))
        .setActivityOptions(byType())
        .build();
  }

  /** Each step's options, sent to the task queue of the role that can run it ({@link TaskQueues#forStep}). */
  static Map<String, ActivityOptions> byType() {
    return timeoutsByType().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
        e -> ActivityOptions.newBuilder(e.getValue()).setTaskQueue(TaskQueues.forStep(e.getKey())).build()));
  }

  private static Map<String, ActivityOptions> timeoutsByType() {
    return Map.ofEntries(
        Map.entry("PrepareBackup", quick(Duration.ofMinutes(2))),
        Map.entry("DumpToRepository", streaming(Duration.ofHours(12))),
        Map.entry("BaseBackupToRepository", streaming(Duration.ofHours(12))),
        Map.entry("VerifyBackup", streaming(Duration.ofHours(6))),
        Map.entry("PublishManifest", quick(Duration.ofMinutes(1))),
        Map.entry("DiscardBackup", quick(Duration.ofMinutes(5))),
        Map.entry("ResolveBackup", quick(Duration.ofMinutes(1))),
        Map.entry("CheckTarget", quick(Duration.ofMinutes(2))),
        Map.entry("VerifyChecksum", streaming(Duration.ofHours(6))),
        // Reads the backup's first packets only; its key errors are never retried (see DO_NOT_RETRY).
        Map.entry("CheckDecryptionKey", quick(Duration.ofMinutes(2))),
        Map.entry("RestoreIntoTarget", waitForCancel(streaming(Duration.ofHours(12)))),
        // PlanBinlogReplay lists the archive and asks the server; ReplayBinlog refuses its own retry (events are
        // not idempotent: RestoreWorkflow restores the dump afresh instead). ReplayBinlog is heartbeaten by the
        // worker (LivenessHeartbeats): the mariadb client may apply one large transaction for minutes.
        Map.entry("PlanBinlogReplay", quick(Duration.ofMinutes(2))),
        Map.entry("ReplayBinlog", waitForCancel(streaming(Duration.ofHours(12)))),
        Map.entry("ListBackups", quick(Duration.ofMinutes(1))),
        // Reads every manifest of a database: minutes on a large remote repository.
        Map.entry("ListForRetention", quick(Duration.ofMinutes(10))),
        Map.entry("RecordRetention", quick(Duration.ofMinutes(1))),
        Map.entry("DeleteBackup", quick(Duration.ofMinutes(5))),
        // Lists the archive and removes what no kept base backup needs: thousands of objects on a large one.
        Map.entry("PruneWal", quick(Duration.ofMinutes(30))),
        Map.entry("ListDatabases", quick(Duration.ofMinutes(1))),
        Map.entry("ReadBackupStatus", quick(Duration.ofMinutes(2))),
        Map.entry("SendAlerts", alert(Duration.ofMinutes(1))),
        Map.entry("NotifyPeople", alert(Duration.ofMinutes(1))),
        // Restores the drill and the pre-migration rollback run: the workflow waits for a cancelled one to
        // stop before it tears its target down.
        Map.entry("RestoreGlobals", waitForCancel(quick(Duration.ofMinutes(10)))),
        Map.entry("ListDrillCandidates", quick(Duration.ofMinutes(10))),
        Map.entry("PlanThrowawayTarget", quick(Duration.ofMinutes(1))),
        // initdb of a fresh cluster: a minute on a slow disk; heartbeats while it runs.
        Map.entry("CreateThrowawayTarget", waitForCancel(streaming(Duration.ofMinutes(15)))),
        Map.entry("TeardownThrowawayTarget", quick(Duration.ofMinutes(5))),
        // Each check may run up to 60 s; the worker heartbeats meanwhile (LivenessHeartbeats).
        Map.entry("RunSmokeChecks", quick(Duration.ofMinutes(30))),
        Map.entry("RecordDrill", quick(Duration.ofMinutes(2))),
        Map.entry("NotifyDrill", alert(Duration.ofMinutes(1))),
        Map.entry("ListDrills", quick(Duration.ofMinutes(5))),
        Map.entry("ReadSchemaVersion", quick(Duration.ofMinutes(2))),
        Map.entry("ListRelations", quick(Duration.ofMinutes(2))),
        // Migrators are idempotent (Flyway's history table, prisma/alembic likewise): a killed worker's
        // migration is run again, a few times at most; a failed one is MIGRATION_FAILED and never retried.
        // Start-to-close above the longest migrator timeout people set (default 30m); heartbeats meanwhile.
        Map.entry("Migrate", waitForCancel(migration(Duration.ofHours(6)))),
        Map.entry("CheckSchema", streaming(Duration.ofMinutes(45))),
        // A probe never fails for a server that does not answer (that is its result): retried only when the
        // worker itself fails, so one answer per probe, within its own timeout.
        Map.entry("ProbeServer", quick(Duration.ofMinutes(1))),
        Map.entry("PromoteStandby", quick(Duration.ofMinutes(5))),
        // Past the promotion, a step that keeps failing asks a person (FailoverWorkflow's await-retry-STEP):
        // seconds of retries, not minutes, while the application is down.
        Map.entry("FenceOldPrimary", afterPromotion(Duration.ofMinutes(5))),
        // Writes wal/<db>/follow.json: a few quick attempts; a failure is in the timeline, the failover goes on.
        Map.entry("FollowNewPrimary", afterPromotion(Duration.ofMinutes(2))),
        Map.entry("Repoint", afterPromotion(Duration.ofMinutes(5))),
        Map.entry("VerifyThroughApplicationPath", afterPromotion(Duration.ofMinutes(2))),
        // pg_rewind or pg_basebackup of a whole cluster, heartbeating from a side thread meanwhile.
        Map.entry("RebuildOldPrimary", streaming(Duration.ofHours(12))),
        Map.entry("WriteTimeline", quick(Duration.ofMinutes(2))),
        // Streams for WalArchiveWorkflow.RUN_FOR_MILLIS, then returns; retried for as long as it takes (a server
        // down for hours must not end the archive: the slot keeps the WAL), except for what a person must fix.
        Map.entry("StreamWal", walStream()),
        Map.entry("ReadWalStatus", quick(Duration.ofMinutes(2))),
        // A restore to a moment: the plan reads manifests and the archive's listing; the rest runs on DIR's host.
        Map.entry("PlanRecovery", quick(Duration.ofMinutes(10))),
        Map.entry("RestoreBaseBackup", waitForCancel(streaming(Duration.ofHours(12)))),
        Map.entry("FetchWal", waitForCancel(streaming(Duration.ofHours(12)))),
        // Replaying WAL to the target: as long as the WAL takes; heartbeats while the server recovers.
        Map.entry("RecoverToTarget", waitForCancel(streaming(Duration.ofHours(24)))),
        Map.entry("DiscardRecoveryTarget", quick(Duration.ofMinutes(10))),
        // A PITR drill: canaries on the primary (two short transactions a second apart), the wait for the
        // archive to hold them, the checks on the recovered cluster.
        Map.entry("WriteCanaries", quick(Duration.ofMinutes(2))),
        Map.entry("AwaitArchived", waitForCancel(streaming(Duration.ofMinutes(15)))),
        Map.entry("CheckRecovered", quick(Duration.ofMinutes(30))),
        Map.entry("CreateRestorePoint", quick(Duration.ofMinutes(2))),
        Map.entry("MarkRestorePoint", quick(Duration.ofMinutes(2))));
  }

  /**
   * The WAL stream: one run's time and a margin; unlimited attempts, at most a minute apart. A 10 s heartbeat
   * timeout: a dead archiver is replaced within seconds (the recovery point depends on it), and `wal stop`
   * reaches the run within the SDK's heartbeat throttle (80% of it).
   */
  private static ActivityOptions walStream() {
    ActivityOptions streaming = streaming(Duration.ofMillis(lifeboat.workflows.wal.WalArchiveWorkflow.RUN_FOR_MILLIS)
        .plusMinutes(10));
    return ActivityOptions.newBuilder(waitForCancel(streaming))
        .setHeartbeatTimeout(WAL_HEARTBEAT)
        .setRetryOptions(RetryOptions.newBuilder(streaming.getRetryOptions())
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(0)
            .build())
        .build();
  }

  /** A cancelled step is waited for until it has stopped, so the next step (a teardown) does not race it. */
  private static ActivityOptions waitForCancel(ActivityOptions options) {
    return ActivityOptions.newBuilder(options)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  /** A migration: heartbeats while its tool runs; three attempts at most, for a worker that died mid-way. */
  private static ActivityOptions migration(Duration startToClose) {
    ActivityOptions streaming = streaming(startToClose);
    return ActivityOptions.newBuilder(streaming)
        .setRetryOptions(RetryOptions.newBuilder(streaming.getRetryOptions()).setMaximumAttempts(3).build())
        .build();
  }

  /**
   * Short steps: retried quickly, for up to about ten minutes of a flaky network or repository. The worker
   * heartbeats while one runs, so a dead worker's step is retried within the heartbeat timeout, not after its
   * start-to-close timeout (docs/reliability.md: a teardown stalled 5 min before this).
   */
  private static ActivityOptions quick(Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(HEARTBEAT)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(12)
            .setDoNotRetry(DO_NOT_RETRY)
            .build())
        .build();
  }

  /** A failover step after the promotion: five attempts within about 15 s, then the workflow asks a person. */
  private static ActivityOptions afterPromotion(Duration startToClose) {
    ActivityOptions quick = quick(startToClose);
    return ActivityOptions.newBuilder(quick)
        .setRetryOptions(RetryOptions.newBuilder(quick.getRetryOptions())
            .setMaximumInterval(Duration.ofSeconds(8))
            .setMaximumAttempts(5)
            .build())
        .build();
  }

  /**
   * Posting an alert: a few quick attempts, then the check reports the failure to notify beside its alarms
   * (a dead webhook must not delay the verdict by many minutes).
   */
  private static ActivityOptions alert(Duration startToClose) {
    ActivityOptions quick = quick(startToClose);
    return ActivityOptions.newBuilder(quick)
        .setRetryOptions(RetryOptions.newBuilder(quick.getRetryOptions())
            .setInitialInterval(Duration.ofSeconds(2))
            .setMaximumAttempts(3)
            .build())
        .build();
  }

  /** Long streaming steps: heartbeat their byte progress; each retry starts the stream from a clean state. */
  private static ActivityOptions streaming(Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(HEARTBEAT)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(5))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(5))
            .setMaximumAttempts(5)
            .setDoNotRetry(DO_NOT_RETRY)
            .build())
        .build();
  }
}
