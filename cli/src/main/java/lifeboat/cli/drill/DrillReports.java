package lifeboat.cli.drill;

import java.io.PrintWriter;
import java.time.Instant;
import lifeboat.cli.Format;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.model.StepRecord;

/** How a drill report reads on a terminal: one line in a history, a block after `drill run`. */
public final class DrillReports {
  private DrillReports() {}

  static String line(DrillReport r) {
    return String.format("%-28s %-6s %8s  %-10s backup %s%s", Instant.ofEpochMilli(r.startedAtMillis()),
        r.success() ? "ok" : "FAILED", Format.millis((long) (r.drillSeconds() * 1000)), rto(r),
        r.backupId() == null ? "-" : r.backupId(), r.failure() == null ? "" : "  " + r.failure());
  }

  public static void block(DrillReport r, PrintWriter out) {
    out.println("drill " + r.drillId() + " of " + r.database() + " (" + r.kind() + "): "
        + (r.success() ? "PASSED" : "FAILED") + " in " + Format.millis((long) (r.drillSeconds() * 1000))
        + ", " + rto(r));
    out.println("  " + backupLine(r));
    // Without a schemaVersionQuery and a migrator there is nothing to say: no "backup null, restored null".
    if (r.backupSchemaVersion() != null || r.restoredSchemaVersion() != null || r.migrator() != null) {
      out.println("  schema version: backup " + r.backupSchemaVersion() + ", restored " + r.restoredSchemaVersion()
          + (r.migrator() == null ? "" : ", after " + r.migrator() + " " + r.migratedSchemaVersion()));
    }
    for (StepRecord s : r.steps()) {
      out.println(String.format("  %-22s %-7s %9s%s", s.name(), s.outcome(), Format.millis(s.durationMillis()),
          s.detail() == null ? "" : "  " + s.detail()));
    }
    for (SmokeResult s : r.smoke()) {
      out.println("  smoke " + (s.passed() ? "ok     " : "FAILED ") + s.name() + ": " + s.actual() + " (expect "
          + s.expect() + ")" + (s.passed() || s.detail() == null ? "" : "  " + s.detail()));
    }
    if (r.failure() != null) {
      out.println("  failure: " + r.failure());
    }
  }

  /** What was restored where, saying so when nothing was picked, made or restored (never "null"). */
  static String backupLine(DrillReport r) {
    if (r.backupId() == null) {
      return "no backup picked, nothing restored";
    }
    String backup = "backup " + r.backupId() + (r.backupTakenAt() == null ? "" : " taken " + r.backupTakenAt());
    if (DrillReport.restoreRan(r.steps())) {
      return backup + ", restored into " + (r.target() == null ? "the throwaway target" : r.target());
    }
    return backup + ", not restored" + (r.target() == null ? "" : " (target " + r.target() + ")");
  }

  private static String rto(DrillReport r) {
    if (r.rtoSeconds() == null) {
      return "no RTO";
    }
    if (r.rtoVerdict() == null) {
      return "no RTO verdict: nothing restored";
    }
    return (r.rtoVerdict() ? "RTO met" : "RTO MISSED") + " (" + Format.millis((long) (r.rtoSeconds() * 1000)) + ")";
  }
}
