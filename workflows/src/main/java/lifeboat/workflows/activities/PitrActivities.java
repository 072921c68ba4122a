package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.pitr.Canaries;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.RecoveryOutcome;
import lifeboat.workflows.pitr.RecoveryPlan;

/** The steps of a restore to a moment (docs/pitr.md). All but the plan run on the host of DIR. */
@ActivityInterface
public interface PitrActivities {

  /**
   * Picks the base backup, checks that the archive reaches the target with no gap, that DIR is empty and the port
   * free: a target outside the archive's range or behind a gap is refused here, naming the range or the segment,
   * before anything is written.
   */
  @ActivityMethod(name = "PlanRecovery")
  RecoveryPlan planRecovery(PitrRequest request);

  /** Unpacks the base backup into DIR, straight from the repository (OpenPGP → zstd → tar). Heartbeats. */
  @ActivityMethod(name = "RestoreBaseBackup")
  long restoreBaseBackup(RecoveryPlan plan);

  /** Fetches the WAL range ahead of recovery, several segments at once, each checked against its SHA-256. */
  @ActivityMethod(name = "FetchWal")
  int fetchWal(RecoveryPlan plan);

  /** Writes the recovery settings, starts the server, waits for it to reach the target and promote. */
  @ActivityMethod(name = "RecoverToTarget")
  RecoveryOutcome recoverToTarget(RecoveryPlan plan);

  /** After a failure: stops a server running on DIR and empties DIR (it was empty before). */
  @ActivityMethod(name = "DiscardRecoveryTarget")
  String discardRecoveryTarget(RecoveryPlan plan);

  /**
   * A PITR drill's canaries on the primary: creates the table if it is not there, writes the first row, notes
   * the server's time, writes the second a second later, then deletes the first. Old canaries (30 days) go.
   */
  @ActivityMethod(name = "WriteCanaries")
  Canaries writeCanaries(String database, String drillId, String table);

  /** Waits until the archive has stored WAL through {@code lsn}; returns the seconds it took. Heartbeats. */
  @ActivityMethod(name = "AwaitArchived")
  double awaitArchived(String database, String lsn);

  /**
   * On the recovered cluster: the first canary must be there, the second must not; then the runbook's smoke
   * checks. Each is one result.
   */
  @ActivityMethod(name = "CheckRecovered")
  java.util.List<lifeboat.workflows.drill.SmokeResult> checkRecovered(RecoveryPlan plan, Canaries canaries,
      java.util.List<lifeboat.workflows.runbook.SmokeCheck> smoke);

  /**
   * pg_create_restore_point(name) on the database, recorded in its repository with the LSN and time; returns
   * "NAME at LSN (time)". A name already recorded is refused.
   */
  @ActivityMethod(name = "CreateRestorePoint")
  String createRestorePoint(String database, String name);

  /**
   * Before a migration: a restore point named {@code name} when the database has a WAL archive ("NAME at LSN
   * (time)"); null, doing nothing, when it has none.
   */
  @ActivityMethod(name = "MarkRestorePoint")
  String markRestorePoint(String database, String name);
}
