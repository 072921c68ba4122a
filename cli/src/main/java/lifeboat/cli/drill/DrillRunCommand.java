package lifeboat.cli.drill;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.cli.runbook.RunbookArgument;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.PitrDrillWorkflow;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Run a restore-drill, restore-schema-push or pitr-drill runbook now and print its report.",
    "Exits 0 when the drill passed, 1 when it failed (the report says which step), 2 on a bad runbook."})
public final class DrillRunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Mixin RunbookArgument runbookArgument;

  @Option(names = "--backup", description = "Drill this backup instead of the runbook's: latest, random, or an id.")
  String backup;

  @Option(names = "--no-wait", description = "Start the drill and print its workflow id only.")
  boolean noWait;

  @Override
  public Integer call() {
    Runbook runbook = runbookArgument.load(Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH,
        Runbook.KIND_PITR_DRILL);
    String id = WorkflowIds.next("drill", runbook.name());
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      DrillRequest request = new DrillRequest(runbook, backup, "cli");
      if (Runbook.KIND_PITR_DRILL.equals(runbook.kind())) {
        PitrDrillWorkflow wf = t.client().newWorkflowStub(PitrDrillWorkflow.class,
            t.start(id, runbook.kind(), runbook.database()));
        WorkflowClient.start(wf::drill, request);
      } else {
        RestoreDrillWorkflow wf = t.client().newWorkflowStub(RestoreDrillWorkflow.class,
            t.start(id, runbook.kind(), runbook.database()));
        WorkflowClient.start(wf::drill, request);
      }
      out.println("started drill of " + runbook.database() + ": workflow " + id);
      out.flush();
      if (noWait) {
        return ExitCodes.OK;
      }
      try {
        DrillReports.block(t.client().newUntypedWorkflowStub(id).getResult(DrillReport.class), out);
        return ExitCodes.OK;
      } catch (WorkflowFailedException e) {
        // A failed drill carries its report: print it, then the one-line reason.
        if (e.getCause() instanceof ApplicationFailure af && af.getDetails().getSize() > 0) {
          DrillReports.block(af.getDetails().get(DrillReport.class), out);
          out.flush();
          spec.commandLine().getErr().println("lifeboat: " + af.getOriginalMessage());
          return ExitCodes.FAILED;
        }
        throw e;
      }
    } finally {
      out.flush();
    }
  }
}
