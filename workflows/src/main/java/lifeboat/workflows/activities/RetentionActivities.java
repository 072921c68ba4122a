package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import lifeboat.workflows.model.BackupListing;
import lifeboat.workflows.model.BackupManifest;

/** The repository side of retention: list, delete, and remember what a run left behind. */
@ActivityInterface
public interface RetentionActivities {

  /**
   * Every backup of the database with a readable manifest, newest first, and every reason to distrust the
   * listing: an unreadable manifest, fewer backups than the previous retention run left, or that run's newest
   * backup missing. Storage errors fail the activity (retried) rather than return a short list.
   */
  @ActivityMethod(name = "ListForRetention")
  BackupListing listForRetention(String database);

  /**
   * Remembers, before anything is deleted, which backups this run keeps ({@code retention/<database>.json}),
   * so the next run can tell a truncated listing from a real one.
   */
  @ActivityMethod(name = "RecordRetention")
  void recordRetention(String database, List<String> keptBackupIds);

  /**
   * Deletes one backup: its manifest first (it leaves listings at once), then its data. Idempotent: a backup
   * that is already gone answers "already gone". A deletion the repository refuses as locked (S3 Object Lock)
   * is not a failure: the backup is left listed and the answer starts with "skipped: ".
   */
  @ActivityMethod(name = "DeleteBackup")
  String deleteBackup(BackupManifest manifest);

  /**
   * Removes (or in a dry run only lists) the archived WAL older than {@code keepFromSegment}: what no kept base
   * backup needs. Timeline history files stay.
   */
  @ActivityMethod(name = "PruneWal")
  lifeboat.workflows.model.WalPrune pruneWal(String database, String keepFromSegment, boolean dryRun);
}
