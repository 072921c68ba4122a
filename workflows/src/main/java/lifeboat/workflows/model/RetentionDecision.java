package lifeboat.workflows.model;

/**
 * What retention decided for one backup, and what came of it.
 *
 * @param keep     the plan keeps it
 * @param reason   why: the buckets it represents ("daily 2026-11-25, weekly 2026-W48"), or why it goes
 * @param outcome  null in a plan; then one of the {@code RetentionDecision} outcome constants, or
 *                 "skipped: locked ..." when the repository refused the deletion
 */
public record RetentionDecision(
    String backupId, String startedAt, boolean verified, boolean keep, String reason, String outcome) {

  public static final String KEPT = "kept";
  public static final String DELETED = "deleted";
  /** The backup was already gone (a retried deletion): counted as deleted. */
  public static final String ALREADY_GONE = "already gone";
  public static final String WOULD_DELETE = "would delete";
  public static final String REFUSED = "not deleted: refused";
  public static final String SKIPPED_PREFIX = "skipped: ";

  public RetentionDecision withOutcome(String newOutcome) {
    return new RetentionDecision(backupId, startedAt, verified, keep, reason, newOutcome);
  }
}
