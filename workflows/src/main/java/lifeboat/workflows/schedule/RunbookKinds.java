package lifeboat.workflows.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.runbook.Runbook;

/**
 * Which workflow a runbook's kind runs: the one place a new kind (check, restore-drill) adds a line. Used by
 * ScheduleWorkflow to start children, and by the CLI to refuse unknown kinds.
 */
public final class RunbookKinds {
  public static final Set<String> KNOWN = Set.of(Runbook.KIND_BACKUP);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunbookKinds() {}

  /** Deterministic child ids: {@code backup-app-20261126T020000Z}, so a retried start finds its own child. */
  public static String childWorkflowId(Runbook runbook, Instant fireTime, String suffix) {
    return runbook.kind() + "-" + runbook.database() + "-" + STAMP.format(fireTime) + suffix;
  }

  /**
   * Starts the runbook's workflow as a child. ABANDON: continue-as-new or removing the schedule never kills a
   * running backup. Call from workflow code only.
   */
  public static Promise<?> startChild(Runbook runbook, String workflowId) {
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build();
    return switch (runbook.kind()) {
      case Runbook.KIND_BACKUP -> Async.function(
          Workflow.newChildWorkflowStub(BackupWorkflow.class, options)::backup,
          new BackupRequest(runbook.database(), null));
      default -> throw new IllegalArgumentException("unknown runbook kind '" + runbook.kind() + "'");
    };
  }
}
