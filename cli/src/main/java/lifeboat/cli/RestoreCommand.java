package lifeboat.cli;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.restore.RestoreWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = {
    "Start a RestoreWorkflow: fetch, verify the checksum, decrypt, decompress and restore a backup.",
    "A target that already holds tables is refused unless --clean is given."})
public final class RestoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name whose backup is restored, as in lifeboat.yaml.")
  String database;

  @Option(names = "--backup", defaultValue = "latest", description = "Backup id, or 'latest' (default).")
  String backup;

  @Option(names = "--to", required = true,
      description = "Target: postgresql://user@host:port/db (no password in it), or a SQLite file path.")
  String to;

  @Option(names = "--to-password", description = "Target password as a reference: env:NAME or file:PATH.")
  String toPassword;

  @Option(names = "--jobs", defaultValue = "1", description = "pg_restore parallel jobs (default 1: streamed).")
  int jobs;

  @Option(names = "--clean", description = "Restore over existing objects (pg_restore --clean --if-exists).")
  boolean clean;

  @Option(names = "--wait", description = "Wait for the restore and print what was restored.")
  boolean await;

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    RestoreRequest request = new RestoreRequest(database, backup, target(), toPassword, jobs, clean);
    String id = WorkflowIds.next("restore", database);
    try (Temporal t = new Temporal(temporal)) {
      RestoreWorkflow wf = t.client().newWorkflowStub(RestoreWorkflow.class, Temporal.start(id));
      WorkflowClient.start(wf::restore, request);
      var out = spec.commandLine().getOut();
      out.println("started restore of " + database + " (" + backup + ") into " + request.target() + ": workflow " + id);
      out.flush();
      if (await) {
        RestoreResult r = t.client().newUntypedWorkflowStub(id).getResult(RestoreResult.class);
        out.println("restored " + r.backupId() + " into " + r.target() + " in " + Format.millis(r.durationMillis())
            + ": " + r.check());
      }
      return ExitCodes.OK;
    }
  }

  /** Refuses secrets on the command line (they would land in workflow history); makes file paths absolute. */
  private String target() {
    boolean url = ConnectionStrings.isPostgresUrl(to);
    if (url && ConnectionStrings.containsPassword(to)) {
      throw new IllegalArgumentException(
          "--to must not contain a password; pass it as a reference with --to-password env:NAME");
    }
    if (toPassword != null && !toPassword.startsWith("env:") && !toPassword.startsWith("file:")) {
      throw new IllegalArgumentException("--to-password takes a reference (env:NAME or file:PATH), not a password");
    }
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1");
    }
    return url ? to : Path.of(to).toAbsolutePath().normalize().toString();
  }
}
