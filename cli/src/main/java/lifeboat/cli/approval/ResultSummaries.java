package lifeboat.cli.approval;

import java.util.Map;
import lifeboat.cli.backup.BackupSummary;
import lifeboat.workflows.failover.FailoverResult;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.premigration.PreMigrationResult;

/**
 * The {@link ResultSummary} of each workflow type that waits for a person (ApprovableTypes), and of a backup,
 * whose verification `status` tells as `backup run --wait` does.
 */
public final class ResultSummaries {
  public static final ResultSummary<PreMigrationResult> PRE_MIGRATION = new ResultSummary<>(PreMigrationResult.class,
      PreMigrationSummary::text);
  /** The incident timeline (Markdown, ending in a newline), then the outcome. */
  public static final ResultSummary<FailoverResult> FAILOVER = new ResultSummary<>(FailoverResult.class,
      r -> r.timelineMarkdown() + "outcome: " + r.outcome());

  public static final ResultSummary<BackupResult> BACKUP = new ResultSummary<>(BackupResult.class, BackupSummary::text);

  private static final Map<String, ResultSummary<?>> BY_TYPE = Map.of(
      "PreMigrationBackupWorkflow", PRE_MIGRATION, "FailoverWorkflow", FAILOVER, "BackupWorkflow", BACKUP);

  private ResultSummaries() {}

  /** The summary of {@code workflowType}, or null for a type whose result the CLI does not tell. */
  public static ResultSummary<?> of(String workflowType) {
    return BY_TYPE.get(workflowType);
  }
}
