package lifeboat.cli.approval;

import java.util.List;
import lifeboat.workflows.approval.ApprovalOutcome;
import lifeboat.workflows.premigration.PreMigrationResult;

/**
 * A finished pre-migration backup in words, for the DBA who ran the migration or answered its approval: what
 * happened to the database, from which backup, who chose it, and what the failed migration left behind.
 */
final class PreMigrationSummary {
  private PreMigrationSummary() {}

  static String text(PreMigrationResult r) {
    String point = r.restorePoint() == null ? "" : "\nrestore point " + r.restorePoint() + " was set just before"
        + " the migration: `lifeboat restore " + r.database() + " --to-dir DIR --port P --to-name "
        + r.restorePoint().split(" ")[0] + "` recovers to that moment";
    return outcome(r) + point;
  }

  private static String outcome(PreMigrationResult r) {
    return switch (r.outcome()) {
      case PreMigrationResult.MIGRATED -> "migrated " + r.database() + " (" + r.migration().migrator() + ") behind "
          + "verified backup " + r.backupId();
      case PreMigrationResult.RESTORED -> failed(r) + "restored " + r.database() + " from pre-migration backup "
          + r.backupId() + ", " + chosen(r.decision()) + "\n" + leftovers(r.leftovers());
      default -> failed(r) + r.database() + " left as the failed migration left it (backup " + r.backupId()
          + " not restored), " + chosen(r.decision());
    };
  }

  /** The error can run to many lines (a command's last output): what was done about it comes after, last. */
  private static String failed(PreMigrationResult r) {
    return "the migration of " + r.database() + " failed: " + r.migrationError() + "\n";
  }

  /** pg_restore --clean only replaces what the backup holds: what the migration added is still there. */
  private static String leftovers(List<String> leftovers) {
    if (leftovers.isEmpty()) {
      return "the failed migration left no table, view or sequence behind";
    }
    return "left behind by the failed migration (not dropped): " + String.join(", ", leftovers)
        + (leftovers.size() == 1 ? " - drop it by hand if it should go" : " - drop them by hand if they should go");
  }

  private static String chosen(ApprovalOutcome decision) {
    return decision.automatic() ? "automatically: " + decision.reason()
        : "as chosen by " + decision.by() + ": " + decision.reason();
  }
}
