package lifeboat.workflows.errors;

import io.temporal.failure.ApplicationFailure;

/**
 * The error codes workflow code raises itself, each with its hint: the same `message [CODE] HINT: ...` line and
 * the same catalogue (docs/errors.md) as the activities' codes, which the activities module keeps in its
 * ErrorCode (a test holds the two and the document together). A code both sides raise means the same on both.
 */
public enum WorkflowError {
  RUNBOOK_INVALID(false, "fix the runbook (`lifeboat runbook validate` checks it) and start it again"),
  FAILOVER_INVALID(false, "a real failover waits for a person at the promotion; --auto-approve goes with --drill"),
  FAILOVER_STANDBY_UNUSABLE(false, "promote only a reachable standby that is in recovery: check the standby's URL"
      + " and `SELECT pg_is_in_recovery()` on it; nothing was promoted or changed"),
  SCHEMA_NOT_CURRENT(false, "the runbook's migrator left the schema behind: run `lifeboat migrate` (or the"
      + " migrator's command) against it and check its output"),
  SCHEMA_MISMATCH(false, "the restored database does not report the schema version its backup recorded: check"
      + " the database's schemaVersionQuery, or the backup was taken of another database"),
  RETENTION_POLICY_INVALID(false, "fix the retention policy (--keep-* flags or the runbook's retention:) and run it again"),
  INVALID_INPUT(false, "fix the command's arguments (`--help` lists them) and run it again"),
  BACKUP_NOT_FOUND(false, "take a backup first (`lifeboat backup run DB --wait`), or widen the drill's"
      + " restore.window"),
  FAILOVER_ABANDONED(false, "the standby stays promoted: finish the failed step by hand (the timeline names it"
      + " and its error), or start a new failover once the cause is fixed"),
  DRILL_FAILED(false, "the drill report names the failed step and its error; fix that and run the drill again"
      + " (`lifeboat drill run RUNBOOK`)"),
  DRILL_TEARDOWN_FAILED(false, "remove what the message names by hand; `lifeboat check` alarms until it is gone"),
  RETENTION_REFUSED(true, "nothing was deleted: the refusal names the safety rule; `lifeboat retention run DB"
      + " --dry-run` shows the plan once the cause is fixed");

  private final boolean retryable;
  private final String hint;

  WorkflowError(boolean retryable, String hint) {
    this.retryable = retryable;
    this.hint = hint;
  }

  public boolean retryable() {
    return retryable;
  }

  public String hint() {
    return hint;
  }

  /** The failure to throw from workflow code: `message [CODE] HINT: hint`, retried only if the code says so. */
  public ApplicationFailure failure(String message, Object... details) {
    String line = message + " [" + name() + "] HINT: " + hint;
    return retryable ? ApplicationFailure.newFailure(line, name(), details)
        : ApplicationFailure.newNonRetryableFailure(line, name(), details);
  }
}
