package lifeboat.cli.retention;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.KnownDatabases;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.retention.GfsRetention;
import lifeboat.workflows.retention.RetentionWorkflow;
import lifeboat.workflows.runbook.RetentionPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Prune a database's backups; print KEEP or DELETE and why for each.",
    "The policy is the database's backup runbook's (--runbooks), else the defaults (7 daily, 4 weekly, 12 monthly,"
        + " 7 yearly, minAge 24h, UTC); each flag overrides its field. Exit 1 when a safety rule refused."})
public final class RetentionRunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--dry-run", description = "Print the plan; delete nothing.")
  boolean dryRun;

  @Option(names = "--daily", description = "Newest backup of each of the last N days that have one.")
  Integer daily;

  @Option(names = "--weekly", description = "... of the last N ISO weeks that have one.")
  Integer weekly;

  @Option(names = "--monthly", description = "... of the last N months that have one.")
  Integer monthly;

  @Option(names = "--yearly", description = "... of the last N years that have one.")
  Integer yearly;

  @Option(names = "--min-age", description = "Never delete a backup younger than this (90m, 24h, 7d, PT24H).")
  String minAge;

  @Option(names = "--time-zone", description = "Zone in which days, weeks, months and years are counted.")
  String timeZone;

  @Option(names = "--runbooks", description = "Folder of runbooks (default ./runbooks when present).",
      defaultValue = "runbooks")
  Path runbooks;

  @Override
  public Integer call() {
    KnownDatabases.require(temporal.config(), database);
    PrintWriter out = spec.commandLine().getOut();
    RetentionPolicy policy = policy(out);
    try (Temporal t = new Temporal(temporal)) {
      RetentionWorkflow wf = t.client().newWorkflowStub(RetentionWorkflow.class,
          t.start(RetentionWorkflow.workflowId(database), "retention", database));
      RetentionResult result = wf.run(new RetentionRequest(database, policy, dryRun));
      print(out, result);
      return result.refusal() == null ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** Runbook (or defaults), then the flags on top; validated here so a typo never starts a workflow. */
  RetentionPolicy policy(PrintWriter out) {
    RunbookPolicies.Match match = RunbookPolicies.find(runbooks, database);
    RetentionPolicy base = match == null || match.runbook().retention() == null ? RetentionPolicy.DEFAULT
        : match.runbook().retention().withDefaults();
    RetentionPolicy p = new RetentionPolicy(pick(daily, base.daily()), pick(weekly, base.weekly()),
        pick(monthly, base.monthly()), pick(yearly, base.yearly()), pick(minAge, base.minAge()),
        pick(timeZone, base.timeZone()));
    p = GfsRetention.validated(p);
    out.println("policy" + (match == null ? "" : " of " + match.file()) + ": " + p.daily() + " daily, " + p.weekly()
        + " weekly, " + p.monthly() + " monthly, " + p.yearly() + " yearly, minAge " + p.minAge() + ", "
        + p.timeZone());
    return p;
  }

  private static <T> T pick(T flag, T fallback) {
    return flag != null ? flag : fallback;
  }

  static void print(PrintWriter out, RetentionResult r) {
    if (r.decisions().isEmpty()) {
      out.println("no backups of " + r.database());
    } else {
      String row = "%-26s %-20s %-8s %-6s %-14s %s";
      out.println(String.format(Locale.ROOT, row, "ID", "TIME", "VERIFIED", "ACTION", "OUTCOME", "REASON"));
      for (RetentionDecision d : r.decisions()) {
        out.println(String.format(Locale.ROOT, row, d.backupId(),
            d.startedAt().substring(0, Math.min(19, d.startedAt().length())) + "Z", d.verified() ? "yes" : "no",
            d.keep() ? "KEEP" : "DELETE", d.outcome(), d.reason()));
      }
    }
    if (r.refusal() != null) {
      out.println("refused, nothing deleted: " + r.refusal());
    } else if (r.dryRun()) {
      out.println("dry run: would delete " + r.count(RetentionDecision.WOULD_DELETE) + ", keep "
          + r.count(RetentionDecision.KEPT));
    } else {
      out.println("deleted " + (r.count(RetentionDecision.DELETED) + r.count(RetentionDecision.ALREADY_GONE))
          + ", kept " + r.count(RetentionDecision.KEPT) + ", skipped " + r.count(RetentionDecision.SKIPPED_PREFIX)
          + " (locked)");
    }
    if (r.wal() != null) {
      var w = r.wal();
      out.println("WAL: " + (w.objects() == 0 ? "nothing older than " + w.keepFrom() + " (the oldest kept base"
          + " backup's first segment)" : (w.dryRun() ? "would remove " : "removed ") + w.objects() + " objects, "
          + w.first() + " to " + w.last() + "; kept from " + w.keepFrom() + " (the oldest kept base backup's first"
          + " segment)"));
    }
    out.flush();
  }
}
