package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupPlan;

/**
 * The steps of a backup. Each method is one activity type; its name is the step's name in `lifeboat status`
 * and in the worker's per-type ActivityOptions ({@code lifeboat.worker.ActivityPolicies}).
 */
@ActivityInterface
public interface BackupActivities {

  /** Checks the configuration for this database (fails fast, non-retryable, on anything a user must fix). */
  @ActivityMethod(name = "PrepareBackup")
  BackupPlan prepareBackup(String database);

  /**
   * Dump → compress → encrypt → store, as one stream written while it is produced. Heartbeats byte progress.
   * A retry starts from a clean state: the partial object of an earlier attempt is replaced.
   */
  @ActivityMethod(name = "DumpToRepository")
  BackupManifest dumpToRepository(String database, String backupId, String schemaVersion);

  /**
   * pg_basebackup of the whole cluster as one tar stream → compress → encrypt → store, checked file by file
   * against PostgreSQL's backup_manifest as it streams; nothing is staged. Its WAL comes from the database's WAL
   * archive (pg_basebackup -X none) when it has one, else it is fetched into the backup (-X fetch). Heartbeats.
   */
  @ActivityMethod(name = "BaseBackupToRepository")
  BackupManifest baseBackupToRepository(String database, String backupId);

  /** Reads the stored object back: SHA-256, and where a private key is configured, decrypt and inspect. */
  @ActivityMethod(name = "VerifyBackup")
  BackupManifest verifyBackup(BackupManifest manifest);

  /** Writes manifest.json, the last write of a backup: only now does the backup exist. Idempotent. */
  @ActivityMethod(name = "PublishManifest")
  void publishManifest(BackupManifest manifest);

  /** Compensation: removes whatever an unfinished attempt left for this backup id. Idempotent. */
  @ActivityMethod(name = "DiscardBackup")
  void discardBackup(String database, String backupId);
}
