package lifeboat.cli.wal;

import io.temporal.client.WorkflowNotFoundException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stop", mixinStandardHelpOptions = true, description = {
    "Stop archiving a database's WAL: what was received is stored first.",
    "The replication slot stays: it keeps WAL on the server until archiving starts again (drop it by hand to end"
        + " that)."})
public final class WalStopCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--reason", defaultValue = "lifeboat wal stop", description = "Why, for the history.")
  String reason;

  @Override
  public Integer call() throws Exception {
    WorkflowIds.requireName(database);
    String id = WalArchiveWorkflow.idFor(database);
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      var stub = t.client().newUntypedWorkflowStub(id);
      try {
        stub.signal("stop", reason);
      } catch (WorkflowNotFoundException e) {
        out.println("WAL archiving of " + database + " is not running");
        out.flush();
        return ExitCodes.UNEXPECTED_STATE;
      }
      try {
        stub.getResult(2, TimeUnit.MINUTES, Void.class);
      } catch (TimeoutException e) {
        out.println("asked WAL archiving of " + database + " to stop; it has not yet: see `lifeboat status " + id + "`");
        out.flush();
        return ExitCodes.UNEXPECTED_STATE;
      }
      out.println("stopped WAL archiving of " + database + " (workflow " + id + ")");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
