package lifeboat.workflows;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where each step runs. Every worker polls {@link #LIFEBOAT}: workflow tasks (workflow code needs no secret) and
 * the steps any worker can run (listing, alarms, notices, failover, migrations). A backup worker holds public keys
 * only and also polls {@link #BACKUP}; a restore worker, which holds the private key, polls {@link #RESTORE}. Each
 * step type is sent to the queue of the role that can run it ({@link #forStep}): a backup worker never receives a
 * restore step, and a restore waits (and `lifeboat status` says so) while no restore worker polls.
 *
 * <p>Plus one queue per host: steps that touch something only one machine has (a drill's throwaway cluster or
 * SQLite file in its temp folder) are sent there, so any restore worker on that host, the one that made it or
 * its replacement, runs them.
 */
public final class TaskQueues {
  public static final String LIFEBOAT = "lifeboat";
  public static final String BACKUP = "lifeboat-backup";
  public static final String RESTORE = "lifeboat-restore";
  private static final String HOST_PREFIX = "lifeboat-host-";

  /** A worker's role: which of the role queues it polls besides {@link #LIFEBOAT}. */
  public enum Role {
    BACKUP, RESTORE, ALL;

    public boolean backs() {
      return this != RESTORE;
    }

    public boolean restores() {
      return this != BACKUP;
    }

    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The steps that make a backup: they need the database and the public keys. */
  public static final Set<String> BACKUP_STEPS =
      Set.of("PrepareBackup", "DumpToRepository", "VerifyBackup", "PublishManifest", "DiscardBackup", "StreamWal",
          "BaseBackupToRepository");

  /**
   * The steps of a restore and of a drill, up to its report: they need the private key, or run where the
   * restore runs (a drill's throwaway target lives on the restoring host).
   */
  public static final Set<String> RESTORE_STEPS = Set.of("ResolveBackup", "CheckTarget", "VerifyChecksum",
      "CheckDecryptionKey", "RestoreGlobals", "RestoreIntoTarget", "ListDrillCandidates", "PlanThrowawayTarget",
      "CreateThrowawayTarget", "TeardownThrowawayTarget", "RunSmokeChecks", "PlanRecovery", "RestoreBaseBackup",
      "FetchWal", "RecoverToTarget", "DiscardRecoveryTarget", "WriteCanaries", "AwaitArchived", "CheckRecovered",
      "CreateRestorePoint", "MarkRestorePoint");

  private static final Map<String, String> QUEUE_OF_STEP = Stream.concat(
      BACKUP_STEPS.stream().map(step -> Map.entry(step, BACKUP)),
      RESTORE_STEPS.stream().map(step -> Map.entry(step, RESTORE)))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  private TaskQueues() {}

  /** The queue a step (activity type) is sent to: its role's, else the shared {@link #LIFEBOAT}. */
  public static String forStep(String activityType) {
    return QUEUE_OF_STEP.getOrDefault(activityType, LIFEBOAT);
  }

  /** The role whose workers poll {@code queue}, in words, for `status` and the docs. */
  public static String roleOf(String queue) {
    return switch (queue) {
      case BACKUP -> "backup";
      case RESTORE -> "restore";
      default -> queue.startsWith(HOST_PREFIX) ? "restore, on host " + queue.substring(HOST_PREFIX.length()) : "any";
    };
  }

  /** {@code lifeboat-host-db-worker-1} for host db-worker-1. */
  public static String host(String hostname) {
    return HOST_PREFIX + hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}
