package lifeboat.workflows.model;

import java.util.List;

/**
 * Output of {@code RetentionWorkflow}: every backup, newest first, with its decision and outcome.
 *
 * @param refusal  null when the plan was carried out (or, in a dry run, could have been); otherwise the safety
 *                 rule that stopped it, and nothing was deleted
 */
public record RetentionResult(String database, boolean dryRun, String refusal, List<RetentionDecision> decisions,
    WalPrune wal) {

  /** A result without WAL retention: a database without base backups, and every run before it existed. */
  public RetentionResult(String database, boolean dryRun, String refusal, List<RetentionDecision> decisions) {
    this(database, dryRun, refusal, decisions, null);
  }

  public RetentionResult withWal(WalPrune prune) {
    return new RetentionResult(database, dryRun, refusal, decisions, prune);
  }

  /** How many decisions ended in {@code outcome} (or, for a prefix such as "skipped: ", start with it). */
  public long count(String outcome) {
    return decisions.stream().filter(d -> d.outcome() != null && d.outcome().startsWith(outcome)).count();
  }
}
