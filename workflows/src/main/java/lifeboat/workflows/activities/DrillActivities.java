package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.SmokeCheck;

/** The steps of a restore drill that are not a restore or a migration. */
@ActivityInterface
public interface DrillActivities {

  /** Verified backups of the database, newest first: the workflow picks one (latest, or random in a window). */
  @ActivityMethod(name = "ListDrillCandidates")
  List<BackupManifest> listDrillCandidates(String database);

  /** Decides the throwaway target's name and place; creates nothing. Fails when the spec cannot work here. */
  @ActivityMethod(name = "PlanThrowawayTarget")
  ThrowawayTarget planThrowawayTarget(String database, RestoreSpec spec, String drillId);

  /** Creates it (idempotent: a retry finds and reuses or recreates what an earlier attempt made). */
  @ActivityMethod(name = "CreateThrowawayTarget")
  ThrowawayTarget createThrowawayTarget(ThrowawayTarget planned);

  /** Drops / stops and deletes it; idempotent, and quiet when nothing was created. Says what it removed. */
  @ActivityMethod(name = "TeardownThrowawayTarget")
  String teardownThrowawayTarget(ThrowawayTarget planned);

  /** Runs every check (a failing one does not stop the others); never throws for a failed check. */
  @ActivityMethod(name = "RunSmokeChecks")
  List<SmokeResult> runSmokeChecks(DbTarget target, List<SmokeCheck> checks);

  /**
   * Writes the report as JSON and Markdown into the database's repository and sets this worker's drill
   * gauges. Returns where the report is.
   */
  @ActivityMethod(name = "RecordDrill")
  String recordDrill(DrillReport report);

  /** Posts a failed drill or a missed RTO to the alerts webhook. */
  @ActivityMethod(name = "NotifyDrill")
  AlertDelivery notifyDrill(DrillReport report);

  /** Past reports of a database, newest first. */
  @ActivityMethod(name = "ListDrills")
  List<DrillReport> listDrills(String database, int limit);
}
