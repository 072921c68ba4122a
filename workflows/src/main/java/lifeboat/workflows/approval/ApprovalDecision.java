package lifeboat.workflows.approval;

/**
 * What a person answers, through `lifeboat approve` / `lifeboat reject`.
 *
 * @param choice  one of the waiting step's choices; null = its first (the "go ahead" choice)
 * @param by      who answers: must be one of the runbook's approvers when it lists any
 * @param reason  why, in their words; recorded in the outcome and the timeline
 */
public record ApprovalDecision(String choice, String by, String reason) {}
