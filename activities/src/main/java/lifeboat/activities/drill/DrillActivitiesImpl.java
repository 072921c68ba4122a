package lifeboat.activities.drill;

import io.temporal.activity.Activity;
import java.util.List;
import lifeboat.activities.check.Webhook;
import lifeboat.activities.config.Config;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.DrillActivities;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.SmokeCheck;

public class DrillActivitiesImpl implements DrillActivities {
  private final Workspace workspace;
  private final ThrowawayTargets targets;

  public DrillActivitiesImpl(Workspace workspace) {
    this(workspace, DrillPlaces.standard().folder());
  }

  /** @param drillFolder where cluster data directories and SQLite files go (tests use their own) */
  public DrillActivitiesImpl(Workspace workspace, java.nio.file.Path drillFolder) {
    this.workspace = workspace;
    this.targets = new ThrowawayTargets(new DrillPlaces(drillFolder));
  }

  @Override
  public List<BackupManifest> listDrillCandidates(String database) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return Manifests.newestVerified(repository(cfg, database), database, Integer.MAX_VALUE);
    });
  }

  @Override
  public ThrowawayTarget planThrowawayTarget(String database, RestoreSpec spec, String drillId) {
    return Activities.guard(() -> targets.plan(workspace.config(), database, spec, drillId));
  }

  @Override
  public ThrowawayTarget createThrowawayTarget(ThrowawayTarget planned) {
    Runnable heartbeat = heartbeat();
    var info = Activity.getExecutionContext().getInfo();
    return Activities.guard(() -> create(planned, heartbeat, info.getWorkflowId(), info.getNamespace()));
  }

  /** The activity's body with its heartbeat passed in: public for tests, which run outside an activity. */
  public ThrowawayTarget create(ThrowawayTarget planned, Runnable heartbeat) {
    return create(planned, heartbeat, null, null);
  }

  /** As above, recording the drill workflow that owns the target (its id and namespace) in the ledger. */
  public ThrowawayTarget create(ThrowawayTarget planned, Runnable heartbeat, String workflowId, String namespace) {
    Config cfg = workspace.config();
    return targets.create(cfg, repository(cfg, planned.database()), planned, heartbeat, workflowId, namespace);
  }

  @Override
  public String teardownThrowawayTarget(ThrowawayTarget planned) {
    return Activities.guard(() -> teardown(planned));
  }

  public String teardown(ThrowawayTarget planned) {
    Config cfg = workspace.config();
    return targets.teardown(cfg, repository(cfg, planned.database()), planned);
  }

  @Override
  public List<SmokeResult> runSmokeChecks(DbTarget target, List<SmokeCheck> checks) {
    Runnable heartbeat = heartbeat();
    return Activities.guard(() -> smoke(target, checks, heartbeat));
  }

  /** The activity's body with its heartbeat passed in (called before each check): public for tests. */
  public List<SmokeResult> smoke(DbTarget target, List<SmokeCheck> checks, Runnable heartbeat) {
    Config cfg = workspace.config();
    return SmokeChecks.run(workspace.connection(cfg, target), checks == null ? List.of() : checks,
        heartbeat);
  }

  @Override
  public String recordDrill(DrillReport report) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = repository(cfg, report.database());
      DrillReports.write(repo, report);
      workspace.metrics().drillRecorded(report);
      return repo.locate(DrillReports.markdownKey(report.database(), report.drillId()));
    });
  }

  @Override
  public AlertDelivery notifyDrill(DrillReport report) {
    return Activities.guard(() -> {
      if (!DrillAlerts.worthAlert(report)) {
        return new AlertDelivery(false, "none: the drill passed" + (report.rtoMet() == null ? "" : " within its RTO"));
      }
      Config cfg = workspace.config();
      String ref = cfg.alertsWebhook();
      if (ref == null) {
        return new AlertDelivery(false, "no webhook configured");
      }
      Webhook.post(cfg.secrets().resolve(ref, "alerts.webhook"), DrillAlerts.text(report));
      return new AlertDelivery(true, "sent");
    });
  }

  @Override
  public List<DrillReport> listDrills(String database, int limit) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return DrillReports.list(repository(cfg, database), database, limit);
    });
  }

  private Repository repository(Config cfg, String database) {
    return workspace.repository(cfg, cfg.database(database).repository());
  }

  private static Runnable heartbeat() {
    var context = Activity.getExecutionContext();
    return () -> context.heartbeat(null);
  }
}
