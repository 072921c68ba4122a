package lifeboat.workflows.model;

import java.util.List;

/**
 * Output of {@code RetentionWorkflow}: every backup, newest first, with its decision and outcome.
 *
 * @param refusal  null when the plan was carried out (or, in a dry run, could have been); otherwise the safety
 *                 rule that stopped it, and nothing was deleted
 */
public record RetentionResult(String database, boolean dryRun, String refusal, List<RetentionDecision> decisions) {

  /** How many decisions ended in {@code outcome} (or, for a prefix such as "skipped: ", start with it). */
  public long count(String outcome) {
    return decisions.stream().filter(d -> d.outcome() != null && d.outcome().startsWith(outcome)).count();
  }
}
