package lifeboat.workflows.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.check.CheckWorkflow;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.runbook.Runbook;

/**
 * Which workflow a runbook's kind runs: the one place a new kind (check, restore-drill) adds a line. Used by
 * ScheduleWorkflow to start children, by the CLI to refuse unknown kinds and to build native schedules' actions.
 */
public final class RunbookKinds {
  public static final Set<String> KNOWN = Set.of(Runbook.KIND_BACKUP, Runbook.KIND_CHECK,
      Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH, Runbook.KIND_PRE_MIGRATION_BACKUP,
      Runbook.KIND_FAILOVER, Runbook.KIND_PITR_DRILL);
  /** Kinds a schedule may run: a pre-migration backup goes with a deployment, a failover with an outage. */
  public static final Set<String> SCHEDULABLE = Set.of(Runbook.KIND_BACKUP, Runbook.KIND_CHECK,
      Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH, Runbook.KIND_PITR_DRILL);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunbookKinds() {}

  /** Deterministic child ids: {@code backup-app-20261126T020000Z}, so a retried start finds its own child. */
  public static String childWorkflowId(Runbook runbook, Instant fireTime, String suffix) {
    String subject = runbook.database() == null ? "all" : runbook.database();
    return runbook.kind() + "-" + subject + "-" + STAMP.format(fireTime) + suffix;
  }

  /** The workflow type a schedulable kind runs: what a child starts here, and a native schedule's action. */
  public static String workflowType(Runbook runbook) {
    return switch (runbook.kind()) {
      case Runbook.KIND_BACKUP -> "BackupWorkflow";
      case Runbook.KIND_CHECK -> "CheckWorkflow";
      case Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH -> "RestoreDrillWorkflow";
      case Runbook.KIND_PITR_DRILL -> "PitrDrillWorkflow";
      default -> throw new IllegalArgumentException("unknown runbook kind '" + runbook.kind() + "'");
    };
  }

  /**
   * The request a scheduled run of the runbook gets: the same for a child of ScheduleWorkflow and for a native
   * Temporal Schedule's action, so both servers run the same thing.
   */
  public static Object request(Runbook runbook) {
    return switch (runbook.kind()) {
      // The runbook's retention prunes after each scheduled backup; a runbook without one never prunes.
      case Runbook.KIND_BACKUP -> new BackupRequest(runbook.database(), null, runbook.retention());
      case Runbook.KIND_CHECK -> new CheckRequest(runbook.database() == null ? List.of() : List.of(runbook.database()),
          runbook.alarms(), Map.of());
      case Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH, Runbook.KIND_PITR_DRILL ->
          new DrillRequest(runbook, null, "schedule");
      default -> throw new IllegalArgumentException("unknown runbook kind '" + runbook.kind() + "'");
    };
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
    Object request = request(runbook);
    return switch (runbook.kind()) {
      case Runbook.KIND_BACKUP -> Async.function(
          Workflow.newChildWorkflowStub(BackupWorkflow.class, options)::backup, (BackupRequest) request);
      case Runbook.KIND_CHECK -> Async.function(
          Workflow.newChildWorkflowStub(CheckWorkflow.class, options)::check, (CheckRequest) request);
      case Runbook.KIND_RESTORE_DRILL, Runbook.KIND_RESTORE_SCHEMA_PUSH -> Async.function(
          Workflow.newChildWorkflowStub(RestoreDrillWorkflow.class, options)::drill, (DrillRequest) request);
      case Runbook.KIND_PITR_DRILL -> Async.function(
          Workflow.newChildWorkflowStub(lifeboat.workflows.drill.PitrDrillWorkflow.class, options)::drill,
          (DrillRequest) request);
      default -> throw new IllegalArgumentException("unknown runbook kind '" + runbook.kind() + "'");
    };
  }
}
