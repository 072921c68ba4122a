package lifeboat.workflows.failover;

import lifeboat.workflows.runbook.Runbook;

/**
 * @param runbook      a failover runbook (names and secret references only)
 * @param drill        a rehearsal against a staging cluster: recorded as such in the timeline
 * @param autoApprove  answer both approval steps automatically: drills only, and recorded as automatic
 */
public record FailoverRequest(Runbook runbook, boolean drill, boolean autoApprove) {}
