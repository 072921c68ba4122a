package lifeboat.cli.backup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Format;
import lifeboat.cli.Json;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.model.BackupCatalog;
import lifeboat.workflows.model.BackupManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = {
    "List a database's backups, newest first (read by a worker).",
    "A backup whose manifest cannot be read is a line of its own saying why; the others are listed as usual."})
public final class BackupListCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--json", description = "Print the manifests as JSON; an unreadable one as its backupId,"
      + " database and problem.")
  boolean json;

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    try (Temporal t = new Temporal(temporal)) {
      BackupCatalog catalog = BackupCatalogs.of(t, database);
      var out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, entries(catalog));
      } else if (catalog.backups().isEmpty() && catalog.unreadable().isEmpty()) {
        out.println("no backups of " + database);
      } else {
        out.println(String.format(Locale.ROOT, "%-26s %-20s %-9s %-7s %10s %10s %8s %-8s %s",
            "ID", "TIME", "ENGINE", "TYPE", "RAW", "STORED", "SECONDS", "VERIFIED", "LOCATION"));
        boolean checksumOnly = false;
        for (Object entry : entries(catalog)) {
          if (entry instanceof BackupManifest m) {
            checksumOnly |= Verified.checksumOnly(m.verification());
            out.println(String.format(Locale.ROOT, "%-26s %-20s %-9s %-7s %10s %10s %8.1f %-8s %s",
                m.backupId(), m.startedAt().substring(0, Math.min(19, m.startedAt().length())) + "Z",
                m.engine(), m.baseBackup() ? "base" : "logical", Format.bytes(m.rawBytes()), Format.bytes(m.storedBytes()), seconds(m),
                Verified.column(m), m.location()));
          } else {
            Map<?, ?> bad = (Map<?, ?>) entry;
            out.println(String.format(Locale.ROOT, "%-26s UNREADABLE: %s", bad.get("backupId"), bad.get("problem")));
          }
        }
        if (checksumOnly) {
          out.println(Verified.CHECKSUM_FOOTNOTE);
        }
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Manifests and unreadable backups in one list, newest first (ids sort by time): in JSON an unreadable one is
   * an object with backupId, database and problem, so scripts reading manifests still find an array.
   */
  private List<Object> entries(BackupCatalog catalog) {
    record Entry(String id, Object value) {}
    List<Entry> all = new ArrayList<>();
    catalog.backups().forEach(m -> all.add(new Entry(m.backupId(), m)));
    for (BackupCatalog.Unreadable u : catalog.unreadable()) {
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("backupId", u.backupId());
      bad.put("database", database);
      bad.put("problem", u.problem());
      all.add(new Entry(u.backupId(), bad));
    }
    all.sort(Comparator.comparing(Entry::id).reversed());
    return all.stream().map(Entry::value).toList();
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
