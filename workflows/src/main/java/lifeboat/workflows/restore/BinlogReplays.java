package lifeboat.workflows.restore;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;

/** MariaDB's binlog replay as RestoreWorkflow and the PITR drill run it: every event applied once. */
public final class BinlogReplays {
  /** The failure type of a replay whose earlier attempt ended half-way (events may be applied already). */
  static final String REPLAY_INTERRUPTED = "REPLAY_INTERRUPTED";

  private BinlogReplays() {}

  /**
   * replay-binlog; when an attempt of it died half-way (REPLAY_INTERRUPTED), the dump is restored afresh over the
   * target (restore-into-target with --clean) and the replay runs once more, at most twice over: nothing is
   * applied twice, and a killed worker costs time only. Returns what the replay says.
   */
  public static String replayOnce(StepLog log, RestoreActivities steps, RestoreRequest into, BackupManifest manifest,
      BinlogReplayPlan plan) {
    for (int round = 1; ; round++) {
      try {
        return log.run("replay-binlog", () -> steps.replayBinlog(into, plan));
      } catch (ActivityFailure e) {
        if (round > 2 || !(e.getCause() instanceof ApplicationFailure f) || !REPLAY_INTERRUPTED.equals(f.getType())) {
          throw e;
        }
        RestoreRequest again = into.withClean(true);
        log.run("restore-into-target", () -> steps.restoreIntoTarget(again, manifest));
      }
    }
  }
}
