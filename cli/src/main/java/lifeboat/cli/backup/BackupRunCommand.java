package lifeboat.cli.backup;

import io.temporal.client.WorkflowClient;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.KnownDatabases;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WaitForResult;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start a BackupWorkflow for a database of the worker's lifeboat.yaml.")
public final class BackupRunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--wait", description = "Wait for the backup and print its id, size and duration.")
  boolean await;

  @Option(names = "--schema-version", description = "Schema version to record instead of running the query.")
  String schemaVersion;

  @Option(names = "--type", defaultValue = "logical", description = "logical (a dump of the database, the"
      + " default) or base (pg_basebackup of the whole PostgreSQL cluster, for point-in-time recovery).")
  String type;

  @Override
  public Integer call() {
    KnownDatabases.require(temporal.config(), database);
    if (!type.equals(BackupRequest.LOGICAL) && !type.equals(BackupRequest.BASE)) {
      throw new IllegalArgumentException("--type must be logical or base, not '" + type + "'");
    }
    String id = WorkflowIds.next("backup", database);
    try (Temporal t = new Temporal(temporal)) {
      BackupWorkflow wf = t.client().newWorkflowStub(BackupWorkflow.class, t.start(id, "backup", database));
      WorkflowClient.start(wf::backup, new BackupRequest(database, schemaVersion, null, type));
      var out = spec.commandLine().getOut();
      out.println("started backup of " + database + ": workflow " + id);
      out.flush();
      if (await) {
        BackupResult r = WaitForResult.get(t, temporal.namespace(), id, BackupResult.class, out);
        out.println(BackupSummary.text(r));
      }
      return ExitCodes.OK;
    }
  }
}
