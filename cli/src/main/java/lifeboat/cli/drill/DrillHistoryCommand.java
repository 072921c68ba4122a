package lifeboat.cli.drill;

import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Json;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.drill.DrillHistoryWorkflow;
import lifeboat.workflows.drill.DrillReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Past drills of a database, newest first: when, outcome, time, RTO, backup.")
public final class DrillHistoryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the drill reports as JSON, steps and smoke checks included.")
  boolean json;

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    try (Temporal t = new Temporal(temporal)) {
      List<DrillReport> reports = t.client().newWorkflowStub(DrillHistoryWorkflow.class,
          Temporal.start(WorkflowIds.next("drill-history", database))).history(database, limit);
      var out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, reports);
        return ExitCodes.OK;
      }
      if (reports.isEmpty()) {
        out.println("no drills of " + database + " yet: run `lifeboat drill run <runbook>`");
      }
      reports.forEach(r -> out.println(DrillReports.line(r)));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
