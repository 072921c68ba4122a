package lifeboat.cli.failover;

import io.temporal.client.WorkflowClient;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.cli.approval.ResultSummaries;
import lifeboat.cli.runbook.RunbookArgument;
import lifeboat.workflows.failover.FailoverRequest;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.failover.FailoverWorkflow;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "start", mixinStandardHelpOptions = true, description = {
    "Start a failover runbook; it waits for a person at the promotion.",
    "Confirms the primary is gone, then waits for `lifeboat approve <id>` before promoting the standby.",
    "Exits 0 when the standby was promoted, 1 on no failover (the primary answered) or a rejection, 3 when it"
        + " stops waiting because the workflow waits for a person (it goes on without this command)."})
public final class FailoverStartCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Mixin RunbookArgument runbookArgument;

  @Option(names = "--drill", description = "A rehearsal against a staging cluster: the timeline says so.")
  boolean drill;

  @Option(names = "--auto-approve", description = "Answer the approvals automatically. Drills only (with --drill).")
  boolean autoApprove;

  @Override
  public Integer call() {
    Runbook runbook = runbookArgument.load(Runbook.KIND_FAILOVER);
    if (autoApprove && !drill) {
      throw new IllegalArgumentException("--auto-approve is for drills only: add --drill, or approve by hand");
    }
    String id = WorkflowIds.next("failover", runbook.name());
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      FailoverWorkflow wf = t.client().newWorkflowStub(FailoverWorkflow.class,
          t.start(id, runbook.kind(), runbook.database()));
      WorkflowClient.start(wf::failover, new FailoverRequest(runbook, drill, autoApprove));
      out.println("started " + (drill ? "failover DRILL" : "failover") + " of " + runbook.name() + ": workflow " + id);
      out.flush();
      FailoverResult r = ResultSummaries.FAILOVER.awaitAndPrint(t, id, out);
      if (r == null) {
        return ExitCodes.UNEXPECTED_STATE;
      }
      return FailoverResult.PROMOTED.equals(r.outcome()) ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      out.flush();
    }
  }
}
