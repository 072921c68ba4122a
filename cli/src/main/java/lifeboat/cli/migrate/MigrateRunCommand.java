package lifeboat.cli.migrate;

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
import lifeboat.workflows.premigration.PreMigrationBackupWorkflow;
import lifeboat.workflows.premigration.PreMigrationRequest;
import lifeboat.workflows.premigration.PreMigrationResult;
import lifeboat.workflows.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = {
    "Back up and verify the database, then run its migration. If the migration fails the workflow waits for a",
    "person: `lifeboat approve <id> --choice restore|abort --by NAME --reason TEXT`.",
    "Exits 0 when migrated, 1 when the migration failed (restored or left), 3 when it waits for a person."})
public final class MigrateRunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (looked up in --runbooks) or a .yaml file.")
  String runbookName;

  @Option(names = "--runbooks", defaultValue = "runbooks", description = "Folder of runbooks (default ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws InterruptedException {
    Runbook runbook = RunbookLoader.find(runbookName, dir);
    if (!Runbook.KIND_PRE_MIGRATION_BACKUP.equals(runbook.kind())) {
      throw new IllegalArgumentException("runbook " + runbook.name() + " is a " + runbook.kind()
          + ", not a pre-migration-backup");
    }
    String id = WorkflowIds.next("migrate", runbook.database());
    var out = spec.commandLine().getOut();
    try (Temporal t = new Temporal(temporal)) {
      PreMigrationBackupWorkflow wf =
          t.client().newWorkflowStub(PreMigrationBackupWorkflow.class, Temporal.start(id));
      WorkflowClient.start(wf::run, new PreMigrationRequest(runbook));
      out.println("started pre-migration backup of " + runbook.database() + ": workflow " + id);
      out.flush();
      WorkflowStub stub = t.client().newUntypedWorkflowStub(id);
      // Waits for the end, or stops waiting once the workflow asks a person: that answer may take hours.
      while (true) {
        try {
          PreMigrationResult r = stub.getResult(2, TimeUnit.SECONDS, PreMigrationResult.class);
          out.println(describe(r));
          return PreMigrationResult.MIGRATED.equals(r.outcome()) ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (TimeoutException e) {
          PendingApproval p = PendingApprovals.of(t, id);
          if (p != null) {
            out.println("WAITING FOR APPROVAL: " + p.question());
            out.println("answer with: lifeboat approve " + id + " --choice " + String.join("|", p.choices())
                + " --by NAME --reason TEXT");
            return ExitCodes.UNEXPECTED_STATE;
          }
        }
      }
    } finally {
      out.flush();
    }
  }

  static String describe(PreMigrationResult r) {
    return switch (r.outcome()) {
      case PreMigrationResult.MIGRATED -> "migrated " + r.database() + " (" + r.migration().migrator() + ") behind "
          + "verified backup " + r.backupId();
      case PreMigrationResult.RESTORED -> "migration failed (" + r.migrationError() + "); backup " + r.backupId()
          + " restored into " + r.database() + ", as chosen by " + r.decision().by() + ": " + r.decision().reason();
      default -> "migration failed (" + r.migrationError() + "); database left as it is, as chosen by "
          + r.decision().by() + ": " + r.decision().reason();
    };
  }
}
