package lifeboat.cli.failover;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.cli.approval.PendingApprovals;
import lifeboat.cli.runbook.RunbookLoader;
import lifeboat.workflows.approval.PendingApproval;
import lifeboat.workflows.failover.FailoverRequest;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.failover.FailoverWorkflow;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "start", description = {
    "Start a failover runbook: confirm the primary is gone, then wait for `lifeboat approve <id>` at the promotion.",
    "Exits 0 when the standby was promoted, 1 on no failover (the primary answered) or a rejection, 3 when it",
    "stops waiting because the workflow waits for a person (it goes on without this command)."})
public final class FailoverStartCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (looked up in --runbooks) or a .yaml file.")
  String runbookName;

  @Option(names = "--runbooks", defaultValue = "runbooks", description = "Folder of runbooks (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--drill", description = "A rehearsal against a staging cluster: the timeline says so.")
  boolean drill;

  @Option(names = "--auto-approve", description = "Answer the approvals automatically. Drills only (with --drill).")
  boolean autoApprove;

  @Override
  public Integer call() {
    Runbook runbook = RunbookLoader.find(runbookName, dir);
    if (!Runbook.KIND_FAILOVER.equals(runbook.kind())) {
      throw new IllegalArgumentException("runbook " + runbook.name() + " is a " + runbook.kind() + ", not a failover");
    }
    if (autoApprove && !drill) {
      throw new IllegalArgumentException("--auto-approve is for drills only: add --drill, or approve by hand");
    }
    String id = WorkflowIds.next("failover", runbook.name());
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      FailoverWorkflow wf = t.client().newWorkflowStub(FailoverWorkflow.class, Temporal.start(id));
      WorkflowClient.start(wf::failover, new FailoverRequest(runbook, drill, autoApprove));
      out.println("started " + (drill ? "failover DRILL" : "failover") + " of " + runbook.name() + ": workflow " + id);
      out.flush();
      WorkflowStub stub = t.client().newUntypedWorkflowStub(id);
      while (true) {
        try {
          FailoverResult r = stub.getResult(2, TimeUnit.SECONDS, FailoverResult.class);
          out.print(r.timelineMarkdown());
          out.println("outcome: " + r.outcome());
          return FailoverResult.PROMOTED.equals(r.outcome()) ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (TimeoutException e) {
          PendingApproval p = PendingApprovals.of(t, id);
          if (p != null) {
            out.println("WAITING FOR APPROVAL: " + p.question());
            out.println("answer with: lifeboat approve " + id + " --by NAME --reason TEXT   (or lifeboat reject)");
            return ExitCodes.UNEXPECTED_STATE;
          }
        }
      }
    } finally {
      out.flush();
    }
  }
}
