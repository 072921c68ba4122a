package lifeboat.activities.drill;

import java.time.Instant;
import java.util.Locale;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.model.StepRecord;

/** The readable twin of a drill report: what was proved, how long it took against the RTO, step by step. */
final class DrillMarkdown {
  private DrillMarkdown() {}

  static String render(DrillReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# Restore drill ").append(r.drillId()).append(": ").append(r.success() ? "PASSED" : "FAILED")
        .append("\n\n");
    if (r.failure() != null) {
      md.append("**Failure:** ").append(oneLine(r.failure())).append("\n\n");
    }
    md.append("| | |\n|---|---|\n");
    row(md, "database", r.database());
    row(md, "kind", r.kind());
    row(md, "runbook", r.runbook());
    row(md, "trigger", r.trigger());
    row(md, "workflow", r.workflowId());
    row(md, "backup", r.backupId() == null ? "none picked"
        : r.backupId() + (r.backupTakenAt() == null ? "" : " (taken " + r.backupTakenAt() + ")"));
    row(md, "target", r.target() == null ? "none made" : r.target());
    row(md, "restored", DrillReport.restoreRan(r.steps()) ? "yes" : "no");
    row(md, "started", time(r.startedAtMillis()));
    row(md, "ended", time(r.endedAtMillis()));
    row(md, "drill time", seconds(r.drillSeconds()));
    row(md, "RTO", rto(r));
    row(md, "schema version (backup)", r.backupSchemaVersion());
    row(md, "schema version (restored)", r.restoredSchemaVersion());
    if (r.migrator() != null || r.migratedSchemaVersion() != null) {
      row(md, "migrator", r.migrator());
      row(md, "schema version (migrated)", r.migratedSchemaVersion());
    }
    md.append("\n## Steps\n\n| step | outcome | duration | detail |\n|---|---|---|---|\n");
    for (StepRecord s : r.steps()) {
      md.append("| ").append(cell(s.name())).append(" | ").append(cell(s.outcome())).append(" | ")
          .append(seconds(s.durationMillis() / 1000.0)).append(" | ").append(cell(s.detail())).append(" |\n");
    }
    md.append("\n## Smoke checks\n\n");
    if (r.smoke().isEmpty()) {
      md.append("None ran.\n");
    } else {
      md.append("| check | result | expected | actual | detail |\n|---|---|---|---|---|\n");
      for (SmokeResult s : r.smoke()) {
        md.append("| ").append(cell(s.name())).append(" | ").append(s.passed() ? "pass" : "FAIL").append(" | ")
            .append(cell(s.expect())).append(" | ").append(cell(s.actual())).append(" | ").append(cell(s.detail()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  static String rto(DrillReport r) {
    if (r.rtoSeconds() == null) {
      return seconds(r.drillSeconds()) + ", no objective set";
    }
    if (r.rtoVerdict() == null) {
      return seconds(r.drillSeconds()) + ", no verdict against " + seconds(r.rtoSeconds()) + ": nothing restored";
    }
    return seconds(r.drillSeconds()) + " against " + seconds(r.rtoSeconds()) + ": "
        + (r.rtoVerdict() ? "met" : "MISSED");
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f s", s);
  }

  private static void row(StringBuilder md, String label, String value) {
    md.append("| ").append(label).append(" | ").append(cell(value)).append(" |\n");
  }

  private static String time(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  /** A table cell: no line breaks, pipes escaped, empty for null. */
  private static String cell(String s) {
    return s == null ? "" : oneLine(s).replace("|", "\\|");
  }
}
