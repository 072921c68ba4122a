package lifeboat.workflows.runbook;

import java.util.List;

/**
 * Who may answer a workflow that waits for a person, and how long it waits.
 *
 * <pre>
 * approval:
 *   approvers: [alice, bob]     # names accepted by `lifeboat approve --by`; absent or empty: anyone
 *   remindEvery: 15m            # a reminder to the alerts webhook while waiting
 *   timeout: 2h                 # then an escalation notice, and...
 *   onTimeout: wait             # wait (keep waiting) | abort (stop, as if rejected by "timeout")
 * </pre>
 */
public record ApprovalPolicy(List<String> approvers, String remindEvery, String timeout, String onTimeout) {

  public static final String WAIT = "wait";
  public static final String ABORT = "abort";
  public static final ApprovalPolicy DEFAULT = new ApprovalPolicy(List.of(), "15m", "2h", WAIT);

  public ApprovalPolicy withDefaults() {
    return new ApprovalPolicy(approvers == null ? List.of() : approvers,
        remindEvery == null ? DEFAULT.remindEvery : remindEvery, timeout == null ? DEFAULT.timeout : timeout,
        onTimeout == null ? DEFAULT.onTimeout : onTimeout);
  }

  public boolean mayApprove(String name) {
    return approvers == null || approvers.isEmpty() || approvers.contains(name);
  }
}
