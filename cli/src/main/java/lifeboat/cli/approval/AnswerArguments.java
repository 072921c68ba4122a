package lifeboat.cli.approval;

import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.approval.ApprovalDecision;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What approve and reject both take: which workflow, who answers and why, and where Temporal is. */
final class AnswerArguments {
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Workflow id, as `lifeboat pending` lists it.")
  String workflowId;

  @Option(names = "--by", required = true, description = "Your name, as the runbook's approvers list it.")
  String by;

  @Option(names = "--reason", required = true, description = "Why: it goes into the record.")
  String reason;

  /** Sends the answer through {@link Answer#send}; its exit code. */
  int send(CommandSpec spec, String update, String choice) {
    try (Temporal t = new Temporal(temporal)) {
      return Answer.send(t, workflowId, update, new ApprovalDecision(choice, by, reason), spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
