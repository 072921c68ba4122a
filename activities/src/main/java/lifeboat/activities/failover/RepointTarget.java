package lifeboat.activities.failover;

import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;

/** One way the application finds its database (PgBouncer, an env file, a DNS record). Idempotent. */
interface RepointTarget {
  RepointResult repoint(RepointSpec spec, Endpoints.HostPort newPrimary);
}
