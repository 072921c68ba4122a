package lifeboat.cli.migrate;

import io.temporal.client.WorkflowClient;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.cli.approval.ResultSummaries;
import lifeboat.cli.runbook.RunbookArgument;
import lifeboat.workflows.premigration.PreMigrationBackupWorkflow;
import lifeboat.workflows.premigration.PreMigrationRequest;
import lifeboat.workflows.premigration.PreMigrationResult;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Back up and verify the database, then run its migration.",
    "If the migration fails the workflow waits for a person:"
        + " `lifeboat approve <id> --choice restore|abort --by NAME --reason TEXT`.",
    "Exits 0 when migrated, 1 when the migration failed (restored or left), 3 when it waits for a person."})
public final class MigrateRunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Mixin RunbookArgument runbookArgument;

  @Override
  public Integer call() {
    Runbook runbook = runbookArgument.load(Runbook.KIND_PRE_MIGRATION_BACKUP);
    String id = WorkflowIds.next("migrate", runbook.database());
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      PreMigrationBackupWorkflow wf =
          t.client().newWorkflowStub(PreMigrationBackupWorkflow.class,
              t.start(id, runbook.kind(), runbook.database()));
      WorkflowClient.start(wf::run, new PreMigrationRequest(runbook));
      out.println("started pre-migration backup of " + runbook.database() + ": workflow " + id);
      out.flush();
      PreMigrationResult r = ResultSummaries.PRE_MIGRATION.awaitAndPrint(t, id, out);
      if (r == null) {
        return ExitCodes.UNEXPECTED_STATE;
      }
      return PreMigrationResult.MIGRATED.equals(r.outcome()) ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      out.flush();
    }
  }
}
