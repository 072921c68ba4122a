package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;

/** The steps of a restore, each one activity type named as the step. */
@ActivityInterface
public interface RestoreActivities {

  /** Finds the manifest of a backup id, or of the newest verified backup for "latest". */
  @ActivityMethod(name = "ResolveBackup")
  BackupManifest resolveBackup(String database, String backup);

  /** Refuses a target that already holds tables unless the request says clean. Reads the target only. */
  @ActivityMethod(name = "CheckTarget")
  void checkTarget(RestoreRequest request);

  /** Re-reads the stored object and checks its SHA-256 against the manifest, before anything is restored. */
  @ActivityMethod(name = "VerifyChecksum")
  void verifyChecksum(BackupManifest manifest);

  /**
   * Proves this worker's private key opens the backup (it is among the recipients, the passphrase unlocks it,
   * the session key comes out) reading only the stored object's first packets: a missing, wrong or locked key
   * is found before anything is made to restore into. Says which key opens it; an unencrypted backup needs none.
   */
  @ActivityMethod(name = "CheckDecryptionKey")
  String checkDecryptionKey(BackupManifest manifest);

  /**
   * Restores the roles and tablespaces saved beside a PostgreSQL backup (pg_dumpall --globals-only) into the
   * target's server, before the database itself, so owners and grants resolve. Roles that already exist are
   * left as they are. Says what it did; a backup without globals (SQLite, older backups) is a no-op.
   */
  @ActivityMethod(name = "RestoreGlobals")
  String restoreGlobals(RestoreRequest request, BackupManifest manifest);

  /** Fetch → decrypt → decompress → restore into the target, then a sanity check of the result. */
  @ActivityMethod(name = "RestoreIntoTarget")
  RestoreResult restoreIntoTarget(RestoreRequest request, BackupManifest manifest);

  /**
   * MariaDB point in time: picks the newest verified dump that ended at or before {@code request.toTime()} and
   * checks the binlog archive holds every event from the dump's position up to it, with no gap, before the target
   * is touched. Fails with RECOVERY_TARGET_UNREACHABLE naming what is missing.
   */
  @ActivityMethod(name = "PlanBinlogReplay")
  BinlogReplayPlan planBinlogReplay(RestoreRequest request);

  /**
   * Replays the planned binlog files into the restored target, from the dump's position up to the moment asked
   * for (mariadb-binlog | mariadb, the database renamed to the target's); each file fetched and checked against
   * its SHA-256 first. Says what it replayed.
   */
  @ActivityMethod(name = "ReplayBinlog")
  String replayBinlog(RestoreRequest request, BinlogReplayPlan plan);
}
