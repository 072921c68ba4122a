package lifeboat.cli;

import java.util.concurrent.Callable;
import lifeboat.workflows.pitr.RestorePointWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore-point", mixinStandardHelpOptions = true, description = {
    "Mark a moment by name (pg_create_restore_point) for `restore --to-name`.",
    "Recorded in the repository with its WAL position and time; a name is used once."})
public final class RestorePointCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Parameters(index = "1", description = "The restore point's name: letters, digits, _ . -; used once.")
  String name;

  @Override
  public Integer call() {
    KnownDatabases.require(temporal.config(), database);
    try (Temporal t = new Temporal(temporal)) {
      String made = t.client().newWorkflowStub(RestorePointWorkflow.class,
          t.start(WorkflowIds.next("restore-point", database), "restore-point", database)).create(database, name);
      spec.commandLine().getOut().println("restore point " + made + " of " + database);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
