package lifeboat.cli;

import java.util.List;
import lifeboat.workflows.approval.PendingApproval;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * What `lifeboat status` knows of one workflow, gathered once, then printed as text or as `--json`.
 *
 * @param status             running, completed, failed, ... (the server's execution status, lower case)
 * @param waitingForApproval what it asks a person, while it waits for one; else null
 * @param progress           its steps; null for a workflow type that reports none
 * @param currentStepBytes   bytes done by the running step, from its last heartbeat; else null
 * @param queued             a line per step queued but not started, and whether a worker polls its queue
 * @param retrying           each step being retried: its failed attempt, that attempt's error (code, message,
 *                           hint) and when the next attempt starts
 * @param result             a completed pre-migration backup's or failover's result, as `approve` prints it
 */
record WorkflowStatus(String workflowId, String type, String status, PendingApproval waitingForApproval,
    WorkflowProgress progress, HeartbeatBytes currentStepBytes, List<String> queued, List<Retries.Retry> retrying,
    String result) {

  /** A workflow that ended without its result: `status` exits 1 for it, as `--wait` would have. */
  boolean endedBadly() {
    return status.equals("failed") || status.equals("timed_out") || status.equals("terminated");
  }

  /** The running step's last heartbeat: bytes done, in which attempt. */
  record HeartbeatBytes(long bytes, int attempt) {}
}
