package lifeboat.workflows.approval;

/**
 * The answer a waiting step got, kept in the workflow's result and timeline.
 *
 * @param automatic  answered by the workflow itself: --auto-approve (drills only) or onTimeout: abort
 */
public record ApprovalOutcome(
    String step, String choice, String by, String reason, long askedAtMillis, long decidedAtMillis,
    boolean automatic) {

  public long waitedMillis() {
    return decidedAtMillis - askedAtMillis;
  }
}
