package lifeboat.cli.approval;

import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Format;
import lifeboat.cli.Json;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.approval.PendingApproval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pending", mixinStandardHelpOptions = true,
    description = "Every workflow waiting for a person: what it asks, since when, who may answer.")
public final class PendingCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(names = "--json", description = "Print the waiting workflows and what each asks as JSON.")
  boolean json;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      List<PendingApprovals.Waiting> waiting = PendingApprovals.list(t, temporal.namespace());
      if (json) {
        Json.print(out, waiting);
        return ExitCodes.OK;
      }
      if (waiting.isEmpty()) {
        out.println("nothing is waiting for approval");
      }
      for (PendingApprovals.Waiting w : waiting) {
        PendingApproval p = w.pending();
        out.println(w.workflowId() + "  " + w.type() + "  WAITING FOR APPROVAL at " + p.step() + " for "
            + Format.millis(System.currentTimeMillis() - p.askedAtMillis())
            + (p.escalated() ? " (escalated)" : "") + ", " + p.reminders() + " reminder(s)");
        out.println("  " + p.question());
        out.println("  choices: " + String.join(", ", p.choices()) + "; approvers: "
            + (p.approvers().isEmpty() ? "anyone" : String.join(", ", p.approvers())));
      }
      out.flush();
    }
    return ExitCodes.OK;
  }
}
