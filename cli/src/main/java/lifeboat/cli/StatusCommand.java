package lifeboat.cli;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowQueryException;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.concurrent.Callable;
import lifeboat.cli.approval.PendingApprovals;
import lifeboat.cli.approval.ResultSummaries;
import lifeboat.cli.approval.ResultSummary;
import lifeboat.workflows.approval.ApprovableTypes;
import lifeboat.workflows.approval.PendingApproval;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "A workflow's state, current step, bytes done, and each finished step.",
    "For a completed pre-migration backup or failover, also its result, as `approve` prints it."})
public final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Workflow id, as printed when it started.")
  String workflowId;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      DescribeWorkflowExecutionResponse described = t.service().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build());
      var info = described.getWorkflowExecutionInfo();
      var out = spec.commandLine().getOut();
      out.println(workflowId + "  " + info.getType().getName() + "  " + info.getStatus().name()
          .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      if (ApprovableTypes.NAMES.contains(info.getType().getName()) && !info.hasCloseTime()) {
        PendingApproval waiting = PendingApprovals.of(t, workflowId);
        if (waiting != null) {
          out.println(">>> WAITING FOR APPROVAL at " + waiting.step() + " since "
              + Instant.ofEpochMilli(waiting.askedAtMillis()) + (waiting.escalated() ? " (ESCALATED)" : ""));
          out.println(">>> " + waiting.question());
          out.println(">>> lifeboat approve " + workflowId + " --choice " + String.join("|", waiting.choices())
              + " --by NAME --reason TEXT");
        }
      }
      WorkflowProgress progress;
      try {
        progress = t.client().newUntypedWorkflowStub(workflowId).query("progress", WorkflowProgress.class);
      } catch (WorkflowQueryException e) {
        out.println("(this workflow type reports no steps)");
        return ExitCodes.OK;
      }
      if (!progress.currentStep().isEmpty()) {
        out.println("current step: " + progress.currentStep()
            + bytesDone(described, t.client().getOptions().getDataConverter()));
      }
      QueuedSteps.describe(t, temporal.namespace(), workflowId, described).forEach(out::println);
      for (StepRecord step : progress.steps()) {
        out.println(String.format("  %-20s %-8s %10s  %s%s", step.name(), step.outcome(),
            step.endedAtMillis() == 0 ? "" : Format.millis(step.durationMillis()),
            Instant.ofEpochMilli(step.startedAtMillis()), step.detail() == null ? "" : "  " + step.detail()));
      }
      if (progress.error() != null) {
        out.println("error: " + progress.error());
      }
      // The steps say what ran; the result says what it came to (a pre-migration backup's leftovers, say).
      ResultSummary<?> summary = ResultSummaries.of(info.getType().getName());
      if (summary != null && info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        out.println(summary.ofCompleted(t, workflowId));
      }
      return ExitCodes.OK;
    }
  }

  /** Bytes from the running activity's last heartbeat: the workflow itself only learns them when it ends. */
  private static String bytesDone(DescribeWorkflowExecutionResponse described, DataConverter converter) {
    for (PendingActivityInfo activity : described.getPendingActivitiesList()) {
      if (activity.hasHeartbeatDetails() && activity.getHeartbeatDetails().getPayloadsCount() > 0) {
        Long bytes = converter.fromPayload(
            activity.getHeartbeatDetails().getPayloads(0), Long.class, Long.class);
        return ", " + Format.bytes(bytes) + " done (attempt " + activity.getAttempt() + ")";
      }
    }
    return "";
  }
}
