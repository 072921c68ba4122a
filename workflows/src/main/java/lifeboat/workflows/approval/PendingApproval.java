package lifeboat.workflows.approval;

import java.util.List;

/**
 * A step waiting for a person, as `lifeboat pending` and `lifeboat status` show it.
 *
 * @param question       what the person decides, in words, with what is known (e.g. the migration error)
 * @param choices        accepted choices; the first is what `lifeboat approve` picks without --choice
 * @param rejectChoice   the choice `lifeboat reject` means
 * @param approvers      who may answer; empty = anyone
 * @param askedAtMillis  workflow time the wait began
 * @param reminders      reminders sent so far
 * @param escalated      the timeout passed and an escalation was sent
 */
public record PendingApproval(
    String step, String question, List<String> choices, String rejectChoice, List<String> approvers,
    long askedAtMillis, int reminders, boolean escalated) {

  /**
   * The command that answers this wait, as every place that asks prints it (the notice, `status`, a command
   * that waited): {@code --choice} where there is more than one, and `reject` where it means something else.
   */
  public String answerCommand(String workflowId) {
    String choice = choices.size() > 1 ? " --choice " + String.join("|", choices) : "";
    String reject = rejectChoice == null || choices.contains(rejectChoice) ? ""
        : "   (or: lifeboat reject " + workflowId + " --by NAME --reason TEXT)";
    return "lifeboat approve " + workflowId + choice + " --by NAME --reason TEXT" + reject;
  }
}
