package lifeboat.cli.approval;

import java.util.concurrent.Callable;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.approval.ApprovalDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reject", description = {
    "Refuse what a waiting workflow asks (its safe choice: abort, no promotion), then print its result as",
    "`approve` does. Exits 0 when the workflow finished, 1 when it failed, 2 when it refuses, 3 when it waits again."})
public final class RejectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Workflow id, as `lifeboat pending` lists it.")
  String workflowId;

  @Option(names = "--by", required = true, description = "Your name, as the runbook's approvers list it.")
  String by;

  @Option(names = "--reason", required = true, description = "Why: it goes into the record.")
  String reason;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      return Answer.send(t, workflowId, "reject", new ApprovalDecision(null, by, reason), spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
