package lifeboat.cli.wal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.KnownDatabases;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start archiving a database's WAL into its repository, until `wal stop`.")
public final class WalStartCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml (with a wal: section).")
  String database;

  @Override
  public Integer call() {
    KnownDatabases.require(temporal.config(), database);
    String id = WalArchiveWorkflow.idFor(database);
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      WalArchiveWorkflow wf = t.client().newWorkflowStub(WalArchiveWorkflow.class, t.start(id, "wal", database));
      try {
        WorkflowClient.start(wf::archive, database);
        out.println("started WAL archiving of " + database + ": workflow " + id
            + " (see `lifeboat wal status " + database + "`)");
      } catch (WorkflowExecutionAlreadyStarted running) {
        out.println("WAL archiving of " + database + " already runs: workflow " + id);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
