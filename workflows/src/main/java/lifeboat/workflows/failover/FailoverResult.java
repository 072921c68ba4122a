package lifeboat.workflows.failover;

import java.util.List;
import lifeboat.workflows.approval.ApprovalOutcome;

/**
 * @param outcome           promoted | no-failover (the primary answered: a flap) | rejected (a person said no)
 * @param newPrimary        the promoted standby's URL (no password), when promoted
 * @param recoveryMillis    from the start to the first write through the application's path; 0 when none
 * @param decisions         who approved or rejected what, and why
 * @param timelineMarkdown  the incident timeline
 * @param timelineLocation  where it was written in the repository (null when the runbook names no database)
 */
public record FailoverResult(
    String outcome, String newPrimary, long recoveryMillis, List<ApprovalOutcome> decisions,
    String timelineMarkdown, String timelineLocation) {

  public static final String PROMOTED = "promoted";
  public static final String NO_FAILOVER = "no-failover";
  public static final String REJECTED = "rejected";
}
