package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.failover.FenceResult;
import lifeboat.workflows.failover.ProbeResult;
import lifeboat.workflows.failover.PromoteResult;
import lifeboat.workflows.failover.RebuildResult;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.failover.VerifyResult;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;

/** The steps of a PostgreSQL failover (docs/failover.md). Each is idempotent: a retry finds its own work done. */
@ActivityInterface
public interface FailoverActivities {

  /**
   * One probe: reachable, in recovery, timeline, LSNs and lag. Never fails for a server that does not answer
   * (that is the result); the workflow repeats probes on durable timers. {@code timeout} e.g. "3s".
   */
  @ActivityMethod(name = "ProbeServer")
  ProbeResult probeServer(FailoverEndpoint endpoint, String timeout);

  /**
   * pg_promote(wait => true), then confirms the server left recovery. Already out of recovery: ok, says so.
   * {@code timeout} e.g. "60s".
   */
  @ActivityMethod(name = "PromoteStandby")
  PromoteResult promoteStandby(FailoverEndpoint standby, String timeout);

  /** Fences the old primary (spec.primary) as spec.fence says; unreachable is a result, not a failure. */
  @ActivityMethod(name = "FenceOldPrimary")
  FenceResult fenceOldPrimary(FailoverSpec spec);

  /** Points the application's path (spec.repoint) at {@code newPrimary}; unchanged when it already does. */
  @ActivityMethod(name = "Repoint")
  RepointResult repoint(FailoverSpec spec, FailoverEndpoint newPrimary);

  /** Connects the way the application does: not in recovery, and a write succeeds. Fails otherwise (retried). */
  @ActivityMethod(name = "VerifyThroughApplicationPath")
  VerifyResult verifyThroughApplicationPath(FailoverSpec spec);

  /**
   * Rebuilds the old primary (spec.rebuild, spec.primary's port) as a streaming standby of {@code newPrimary}:
   * stop it, pg_rewind (or pg_basebackup -R when rewind cannot work), start it. Destroys its divergent data.
   */
  @ActivityMethod(name = "RebuildOldPrimary")
  RebuildResult rebuildOldPrimary(FailoverSpec spec, FailoverEndpoint newPrimary);
}
