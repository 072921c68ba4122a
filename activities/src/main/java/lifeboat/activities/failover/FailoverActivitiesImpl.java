package lifeboat.activities.failover;

import java.util.Map;
import java.util.function.Supplier;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.migration.Heartbeating;
import io.temporal.activity.Activity;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.FailoverActivities;
import lifeboat.workflows.failover.FenceResult;
import lifeboat.workflows.failover.ProbeResult;
import lifeboat.workflows.failover.PromoteResult;
import lifeboat.workflows.failover.RebuildResult;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.failover.VerifyResult;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RepointSpec;

/** The failover steps (docs/failover.md); each delegates to one small class. Secrets resolve here, in the worker. */
public class FailoverActivitiesImpl implements FailoverActivities {
  private final Supplier<Secrets> secrets;
  private final Fencing fencing;
  private final Rebuild rebuild;
  private final Map<String, RepointTarget> targets;

  public FailoverActivitiesImpl(Workspace workspace) {
    this(() -> workspace.config().secrets(), System.getenv(), new Route53Target());
  }

  /** @param route53 the Route 53 target (tests give one whose client has fixed credentials and endpoint) */
  FailoverActivitiesImpl(Supplier<Secrets> secrets, Map<String, String> workerEnv, RepointTarget route53) {
    this.secrets = secrets;
    this.fencing = new Fencing(workerEnv);
    this.rebuild = new Rebuild(workerEnv);
    this.targets = Map.of(RepointSpec.ENV_FILE, new EnvFileTarget(), RepointSpec.ROUTE53, route53);
  }

  @Override
  public ProbeResult probeServer(FailoverEndpoint endpoint, String timeout) {
    return Activities.guard(() -> ServerProbe.probe(Endpoints.resolve(endpoint, secrets.get(), "probed server"),
        Durations.parse(timeout == null ? "3s" : timeout)));
  }

  @Override
  public PromoteResult promoteStandby(FailoverEndpoint standby, String timeout) {
    return Activities.guard(() -> Promotion.promote(Endpoints.resolve(standby, secrets.get(), "failover.standby"),
        Durations.parse(timeout == null ? "60s" : timeout)));
  }

  @Override
  public FenceResult fenceOldPrimary(FailoverSpec spec) {
    return Activities.guard(() -> fencing.fence(Endpoints.resolve(spec.primary(), secrets.get(), "failover.primary"),
        spec.fenceOrDefault()));
  }

  @Override
  public RepointResult repoint(FailoverSpec spec, FailoverEndpoint newPrimary) {
    return Activities.guard(() -> target(spec.repoint()).repoint(spec.repoint(), Endpoints.hostPort(
        Endpoints.resolve(newPrimary, secrets.get(), "new primary").url())));
  }

  @Override
  public VerifyResult verifyThroughApplicationPath(FailoverSpec spec) {
    return Activities.guard(() -> ApplicationPath.verify(ApplicationPath.connection(spec, secrets.get())));
  }

  @Override
  public RebuildResult rebuildOldPrimary(FailoverSpec spec, FailoverEndpoint newPrimary) {
    var context = Activity.getExecutionContext();
    // pg_basebackup of a large cluster prints nothing for minutes: heartbeat from a side thread meanwhile
    return Activities.guard(() -> Heartbeating.during(() -> context.heartbeat(null),
        () -> rebuildWithoutHeartbeat(spec, newPrimary)));
  }

  /** The rebuild itself, outside an activity context (tests). */
  RebuildResult rebuildWithoutHeartbeat(FailoverSpec spec, FailoverEndpoint newPrimary) {
    Secrets s = secrets.get();
    return rebuild.rebuild(spec, Endpoints.resolve(newPrimary, s, "new primary"),
        Endpoints.resolve(spec.primary(), s, "failover.primary"));
  }

  private RepointTarget target(RepointSpec spec) {
    if (spec == null || spec.type() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "failover.repoint.type is missing",
          "one of pgbouncer, env-file, route53");
    }
    if (RepointSpec.PGBOUNCER.equals(spec.type())) {
      return new PgBouncerTarget(secrets.get());
    }
    RepointTarget t = targets.get(spec.type());
    if (t == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "unknown repoint type '" + spec.type() + "'",
          "one of pgbouncer, env-file, route53");
    }
    return t;
  }
}
