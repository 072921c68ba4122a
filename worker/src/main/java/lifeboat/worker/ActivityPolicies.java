package lifeboat.worker;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import lifeboat.activities.errors.ErrorCode;

/**
 * Timeouts and retry policies per activity type: the one place to read how long a step may take, how a dead
 * worker is noticed, and which failures are never retried. Workflows create their stubs without options
 * and get these through {@link #workflowOptions()}.
 */
public final class ActivityPolicies {
  /** A worker killed mid-dump stops heartbeating; its step is retried elsewhere within this time. */
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

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

  static Map<String, ActivityOptions> byType() {
    return Map.ofEntries(
        Map.entry("PrepareBackup", quick(Duration.ofMinutes(2))),
        Map.entry("DumpToRepository", streaming(Duration.ofHours(12))),
        Map.entry("VerifyBackup", streaming(Duration.ofHours(6))),
        Map.entry("PublishManifest", quick(Duration.ofMinutes(1))),
        Map.entry("DiscardBackup", quick(Duration.ofMinutes(5))),
        Map.entry("ResolveBackup", quick(Duration.ofMinutes(1))),
        Map.entry("CheckTarget", quick(Duration.ofMinutes(2))),
        Map.entry("VerifyChecksum", streaming(Duration.ofHours(6))),
        Map.entry("RestoreIntoTarget", streaming(Duration.ofHours(12))),
        Map.entry("ListBackups", quick(Duration.ofMinutes(1))),
        // Reads every manifest of a database: minutes on a large remote repository.
        Map.entry("ListForRetention", quick(Duration.ofMinutes(10))),
        Map.entry("RecordRetention", quick(Duration.ofMinutes(1))),
        Map.entry("DeleteBackup", quick(Duration.ofMinutes(5))),
        Map.entry("ListDatabases", quick(Duration.ofMinutes(1))),
        Map.entry("ReadBackupStatus", quick(Duration.ofMinutes(2))),
        Map.entry("SendAlerts", alert(Duration.ofMinutes(1))));
  }

  /** Short steps: retried quickly, for up to about ten minutes of a flaky network or repository. */
  private static ActivityOptions quick(Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(12)
            .setDoNotRetry(DO_NOT_RETRY)
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
