package lifeboat.cli;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import lifeboat.cli.demo.DemoDatabases;
import lifeboat.cli.demo.DemoDatabases.DemoDatabase;
import lifeboat.cli.keys.KeyGenerator;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.catalog.ListBackupsWorkflow;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.StepLog;
import lifeboat.cli.drill.DrillReports;
import io.temporal.client.WorkflowFailedException;
import java.util.ArrayList;
import java.util.Map;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.restore.RestoreWorkflow;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Run the whole loop on this machine, in one process.",
    "An embedded Temporal server and worker, a sample SQLite database (and a PostgreSQL one when the server"
        + " binaries are installed), a throwaway key, backup, list, restore into a fresh target, a row-count"
        + " comparison, and a restore drill with smoke checks."})
public final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", description = "Folder for the demo's files (default: a new temp folder).")
  Path dir;

  @Option(names = "--no-postgres", description = "Skip the PostgreSQL part even when the binaries are there.")
  boolean noPostgres;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path home = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("lifeboat-demo");
    out.println("demo folder: " + home);
    String passphrase = UUID.randomUUID().toString();
    Files.createDirectories(home.resolve("keys"));
    Files.writeString(home.resolve("keys/passphrase"), passphrase);
    KeyGenerator.generate(home.resolve("keys"), "backup", "Lifeboat demo <demo@lifeboat.invalid>",
        passphrase.toCharArray());
    out.println("generated an OpenPGP key pair in " + home.resolve("keys"));

    try (DemoDatabases databases = DemoDatabases.create(home, !noPostgres, out)) {
      Files.writeString(home.resolve("lifeboat.yaml"), databases.config());
      int port = freePort();
      try (EmbeddedTemporal server = EmbeddedTemporal.start(port);
           Temporal conn = Temporal.local(server.address());
           WorkerHost worker = WorkerHost.start(conn.service(), "default", home.resolve("lifeboat.yaml"))) {
        out.println("embedded Temporal server on " + server.address() + ", worker started");
        boolean ok = true;
        for (DemoDatabase db : databases.all()) {
          ok &= roundTrip(conn.client(), db, out);
        }
        out.println(ok ? "demo finished: every restore matched its source and every drill passed"
            : "demo FAILED: see above");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
      }
    }
  }

  private static boolean roundTrip(WorkflowClient client, DemoDatabase db, PrintWriter out) throws Exception {
    out.println();
    out.println("== " + db.name() + " (" + db.engine() + ")");
    BackupWorkflow backup = client.newWorkflowStub(BackupWorkflow.class,
        Temporal.start(WorkflowIds.next("backup", db.name())));
    BackupResult b = backup.backup(new BackupRequest(db.name(), null, null));
    out.println("backup " + b.backupId() + ": " + Format.bytes(b.rawBytes()) + " dumped, "
        + Format.bytes(b.storedBytes()) + " stored (zstd + OpenPGP), " + Format.millis(b.durationMillis())
        + (b.verified() ? ", verified" : ", NOT verified"));
    ListBackupsWorkflow list = client.newWorkflowStub(ListBackupsWorkflow.class,
        Temporal.start("list-" + db.name() + "-" + UUID.randomUUID()));
    List<BackupManifest> backups = list.list(db.name()).backups();
    out.println("repository lists " + backups.size() + " backup(s); newest at " + backups.get(0).location());
    RestoreWorkflow restore = client.newWorkflowStub(RestoreWorkflow.class,
        Temporal.start(WorkflowIds.next("restore", db.name())));
    RestoreResult r = restore.restore(new RestoreRequest(db.name(), RestoreRequest.LATEST, db.restoreTarget(),
        db.restorePasswordRef(), 1, false));
    out.println("restored into " + r.target() + " in " + Format.millis(r.durationMillis()) + ": " + r.check());
    var source = db.rowCounts(false);
    var restored = db.rowCounts(true);
    boolean same = source.equals(restored);
    out.println("row counts source " + source + " vs restored " + restored + (same ? ": same" : ": DIFFERENT"));
    return same && drill(client, db, source, out);
  }

  /**
   * A restore drill of the newest backup: a throwaway target (a fresh cluster for PostgreSQL, a temp file for
   * SQLite), each table's row count checked against the source, a write probe, teardown, a report.
   */
  private static boolean drill(WorkflowClient client, DemoDatabase db, Map<String, Long> source, PrintWriter out) {
    List<SmokeCheck> smoke = new ArrayList<>();
    source.forEach((table, rows) -> smoke.add(
        new SmokeCheck(table + " rows", "select count(*) from " + table, "= " + rows, null)));
    smoke.add(new SmokeCheck("write and read back", null, null, true));
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, db.name() + "-drill", db.name(), null, null, null,
        new RestoreSpec(RestoreSpec.LATEST, null, RestoreSpec.TARGET_CLUSTER, null, null, 1, false, "5m"), null,
        smoke, null);
    String id = WorkflowIds.next("drill", db.name());
    try {
      DrillReport report = client.newWorkflowStub(RestoreDrillWorkflow.class, Temporal.start(id))
          .drill(new DrillRequest(runbook, null, "demo"));
      DrillReports.block(report, out);
      return report.success();
    } catch (WorkflowFailedException e) {
      out.println("drill FAILED: " + StepLog.describe(e.getCause()));
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
