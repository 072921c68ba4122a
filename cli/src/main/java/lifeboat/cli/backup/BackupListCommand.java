package lifeboat.cli.backup;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Format;
import lifeboat.cli.Json;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.catalog.ListBackupsWorkflow;
import lifeboat.workflows.model.BackupManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List a database's backups, newest first (read by a worker).")
public final class BackupListCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--json", description = "Print the manifests as JSON.")
  boolean json;

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    try (Temporal t = new Temporal(temporal)) {
      ListBackupsWorkflow wf = t.client().newWorkflowStub(ListBackupsWorkflow.class,
          Temporal.start("list-" + database + "-" + UUID.randomUUID()));
      List<BackupManifest> backups = wf.list(database);
      var out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, backups);
      } else if (backups.isEmpty()) {
        out.println("no backups of " + database);
      } else {
        out.println(String.format(Locale.ROOT, "%-26s %-20s %-9s %10s %10s %8s %-8s %s",
            "ID", "TIME", "ENGINE", "RAW", "STORED", "SECONDS", "VERIFIED", "LOCATION"));
        for (BackupManifest m : backups) {
          out.println(String.format(Locale.ROOT, "%-26s %-20s %-9s %10s %10s %8.1f %-8s %s",
              m.backupId(), m.startedAt().substring(0, Math.min(19, m.startedAt().length())) + "Z",
              m.engine(), Format.bytes(m.rawBytes()), Format.bytes(m.storedBytes()), seconds(m),
              m.verified() ? "yes" : "no", m.location()));
        }
      }
      return ExitCodes.OK;
    }
  }

  private static double seconds(BackupManifest m) {
    try {
      return java.time.Duration.between(java.time.Instant.parse(m.startedAt()), java.time.Instant.parse(m.endedAt()))
          .toMillis() / 1000.0;
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
