package lifeboat.workflows.approval;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.WaitingFor;
import lifeboat.workflows.activities.NotifyActivities;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.Durations;

/**
 * The workflow side of {@link Approvable}: one step at a time waits for a person. Workflow code only: the
 * wait is a durable timer, so a worker killed while it waits loses nothing; the answer arrives as an Update
 * and is kept in the workflow's state (and history), so a restarted worker replays it.
 *
 * <p>Answers are idempotent: once a step is answered, a later approve or reject gets the first answer back,
 * whoever sends it. An answer when nothing waits (and nothing was answered), a choice not offered, or a name
 * not among the approvers is refused by the validator, before anything is recorded.
 */
public final class ApprovalGate {
  private final NotifyActivities notify;
  private final String workflowId;
  private final List<ApprovalOutcome> answered = new ArrayList<>();
  private PendingApproval pending;
  private ApprovalPolicy policy = ApprovalPolicy.DEFAULT;

  public ApprovalGate(NotifyActivities notify) {
    this.notify = notify;
    this.workflowId = Workflow.getInfo().getWorkflowId();
  }

  /**
   * Waits until a person answers, reminding them every {@code remindEvery}; past {@code timeout} it sends one
   * escalation and keeps waiting, or (onTimeout: abort) answers {@code rejectChoice} itself.
   *
   * @param choices  the choices offered; the first is what `lifeboat approve` picks without --choice
   */
  public ApprovalOutcome await(String step, String question, List<String> choices, String rejectChoice,
      ApprovalPolicy requested) {
    policy = (requested == null ? ApprovalPolicy.DEFAULT : requested).withDefaults();
    // Read first: a bad value fails the workflow before anyone is told it waits (no command either way).
    Duration remindEvery = Durations.inRunbook("approval.remindEvery", policy.remindEvery());
    Duration timeout = Durations.inRunbook("approval.timeout", policy.timeout());
    long asked = Workflow.currentTimeMillis();
    pending = new PendingApproval(step, question, List.copyOf(choices), rejectChoice, policy.approvers(), asked, 0,
        false);
    WaitingFor.set(WaitingFor.APPROVAL);
    tell("waiting for approval: " + question + "\n" + howToAnswer());
    while (outcome(step) == null) {
      Duration waited = Duration.ofMillis(Workflow.currentTimeMillis() - asked);
      Duration untilTimeout = timeout.minus(waited);
      Duration sleep = pending.escalated() || untilTimeout.compareTo(remindEvery) >= 0 ? remindEvery : untilTimeout;
      if (Workflow.await(sleep.isNegative() || sleep.isZero() ? Duration.ofSeconds(1) : sleep,
          () -> outcome(step) != null)) {
        break;
      }
      waited = Duration.ofMillis(Workflow.currentTimeMillis() - asked);
      if (!pending.escalated() && waited.compareTo(timeout) >= 0) {
        pending = with(pending.reminders(), true);
        if (ApprovalPolicy.ABORT.equals(policy.onTimeout())) {
          tell("no answer after " + policy.timeout() + ": " + step + " is aborted (" + rejectChoice + ")");
          answered.add(new ApprovalOutcome(step, rejectChoice, "timeout",
              "no answer within " + policy.timeout() + " (onTimeout: abort)", asked, Workflow.currentTimeMillis(),
              true));
          break;
        }
        tell("ESCALATION: no answer after " + policy.timeout() + " - still waiting: " + question + "\n"
            + howToAnswer());
      } else {
        pending = with(pending.reminders() + 1, pending.escalated());
        tell("reminder: still waiting for approval (" + waited.toMinutes() + " min): " + question + "\n"
            + howToAnswer());
      }
    }
    pending = null;
    WaitingFor.set("");
    return outcome(step);
  }

  /** An answer the workflow gives itself (--auto-approve on a drill): recorded as automatic. */
  public ApprovalOutcome answerAutomatically(String step, String choice, String by, String reason) {
    long now = Workflow.currentTimeMillis();
    ApprovalOutcome outcome = new ApprovalOutcome(step, choice, by, reason, now, now, true);
    answered.add(outcome);
    return outcome;
  }

  /** Validator of the approve and reject Updates; throws IllegalArgumentException to refuse. */
  public void validate(ApprovalDecision decision, boolean reject) {
    if (decision == null || blank(decision.by())) {
      throw new IllegalArgumentException("say who answers: --by NAME");
    }
    if (blank(decision.reason())) {
      throw new IllegalArgumentException("say why: --reason TEXT (it goes into the record)");
    }
    if (pending == null) {
      if (!answered.isEmpty()) {
        return; // answered already: the handler returns the first answer
      }
      throw new IllegalArgumentException("nothing is waiting for approval in " + workflowId + " at this step");
    }
    if (!policy.mayApprove(decision.by())) {
      throw new IllegalArgumentException("'" + decision.by() + "' may not answer " + pending.step()
          + ": approvers are " + String.join(", ", policy.approvers()));
    }
    String choice = choice(decision, reject);
    if (!pending.choices().contains(choice) && !choice.equals(pending.rejectChoice())) {
      throw new IllegalArgumentException("'" + choice + "' is not a choice at " + pending.step() + ": choose one of "
          + String.join(", ", pending.choices()));
    }
  }

  /** Handler of the approve and reject Updates: records the first answer, returns it to every caller. */
  public ApprovalOutcome answer(ApprovalDecision decision, boolean reject) {
    if (pending == null) {
      return answered.get(answered.size() - 1);
    }
    ApprovalOutcome first = outcome(pending.step());
    if (first != null) {
      return first;
    }
    ApprovalOutcome outcome = new ApprovalOutcome(pending.step(), choice(decision, reject), decision.by(),
        decision.reason(), pending.askedAtMillis(), Workflow.currentTimeMillis(), false);
    answered.add(outcome);
    return outcome;
  }

  public PendingApproval pending() {
    return pending;
  }

  /** Every answer so far, in order: for results and timelines. */
  public List<ApprovalOutcome> answered() {
    return List.copyOf(answered);
  }

  private String choice(ApprovalDecision decision, boolean reject) {
    if (reject) {
      return pending.rejectChoice();
    }
    return blank(decision.choice()) ? pending.choices().get(0) : decision.choice().strip();
  }

  private ApprovalOutcome outcome(String step) {
    return answered.stream().filter(a -> a.step().equals(step)).findFirst().orElse(null);
  }

  private PendingApproval with(int reminders, boolean escalated) {
    return new PendingApproval(pending.step(), pending.question(), pending.choices(), pending.rejectChoice(),
        pending.approvers(), pending.askedAtMillis(), reminders, escalated);
  }

  private String howToAnswer() {
    return "answer with: " + pending.answerCommand(workflowId);
  }

  /** A notice that cannot be delivered must not stop the wait: the person can still answer. */
  private void tell(String text) {
    try {
      notify.notifyPeople("[lifeboat] " + workflowId + ": " + text);
    } catch (ActivityFailure e) {
      // shown as a failed NotifyPeople activity in the history; `lifeboat pending` still lists the wait
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
