package lifeboat.cli;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowQueryException;
import io.temporal.common.converter.DataConverter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "A workflow's state, current step, bytes done, and each finished step.",
    "While a step is retried: its last attempt's error (code, HINT) and when the next attempt starts.",
    "For a completed pre-migration backup or failover, also its result, as `approve` prints it.",
    "Exits 1 for a workflow that failed, timed out or was terminated."})
public final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Workflow id, as printed when it started.")
  String workflowId;

  @Option(names = "--json", description = "Print the state, what it waits for, its steps and result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    WorkflowStatus status;
    try (Temporal t = new Temporal(temporal)) {
      status = gather(t);
    }
    var out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, status);
    } else {
      print(status, out);
    }
    out.flush();
    return status.endedBadly() ? ExitCodes.FAILED : ExitCodes.OK;
  }

  private WorkflowStatus gather(Temporal t) {
    DescribeWorkflowExecutionResponse described = t.service().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(temporal.namespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
    var info = described.getWorkflowExecutionInfo();
    String type = info.getType().getName();
    String state = info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase();
    PendingApproval waiting = ApprovableTypes.NAMES.contains(type) && !info.hasCloseTime()
        ? PendingApprovals.of(t, workflowId) : null;
    WorkflowProgress progress;
    try {
      progress = t.client().newUntypedWorkflowStub(workflowId).query("progress", WorkflowProgress.class);
    } catch (WorkflowQueryException e) {
      return new WorkflowStatus(workflowId, type, state, waiting, null, null, List.of(),
          Retries.of(described, t.client().getOptions().getDataConverter()), null);
    }
    // The steps say what ran; the result says what it came to (a pre-migration backup's leftovers, say).
    ResultSummary<?> summary = ResultSummaries.of(type);
    String result = summary != null && info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
        ? summary.ofCompleted(t, workflowId) : null;
    return new WorkflowStatus(workflowId, type, state, waiting, progress,
        progress.currentStep().isEmpty() ? null : bytesDone(described, t.client().getOptions().getDataConverter()),
        QueuedSteps.describe(t, temporal.namespace(), workflowId, described),
        Retries.of(described, t.client().getOptions().getDataConverter()), result);
  }

  private static void print(WorkflowStatus s, PrintWriter out) {
    out.println(s.workflowId() + "  " + s.type() + "  " + s.status());
    PendingApproval waiting = s.waitingForApproval();
    if (waiting != null) {
      out.println(">>> WAITING FOR APPROVAL at " + waiting.step() + " since "
          + Instant.ofEpochMilli(waiting.askedAtMillis()) + (waiting.escalated() ? " (ESCALATED)" : ""));
      out.println(">>> " + waiting.question());
      out.println(">>> " + waiting.answerCommand(s.workflowId()));
    }
    WorkflowProgress progress = s.progress();
    if (progress == null) {
      s.retrying().forEach(r -> out.println("retrying: " + r.line(Instant.now())));
      out.println("(this workflow type reports no steps)");
      return;
    }
    if (!progress.currentStep().isEmpty()) {
      WorkflowStatus.HeartbeatBytes bytes = s.currentStepBytes();
      out.println("current step: " + progress.currentStep() + (bytes == null ? ""
          : ", " + Format.bytes(bytes.bytes()) + " done (attempt " + bytes.attempt() + ")"));
    }
    s.queued().forEach(out::println);
    s.retrying().forEach(r -> out.println("retrying: " + r.line(Instant.now())));
    for (StepRecord step : progress.steps()) {
      out.println(String.format("  %-20s %-8s %10s  %s%s", step.name(), step.outcome(),
          step.endedAtMillis() == 0 ? "" : Format.millis(step.durationMillis()),
          Instant.ofEpochMilli(step.startedAtMillis()), step.detail() == null ? "" : "  " + step.detail()));
    }
    if (progress.error() != null) {
      out.println("error: " + progress.error());
    }
    if (s.result() != null) {
      out.println(s.result());
    }
  }

  /** Bytes from the running activity's last heartbeat: the workflow itself only learns them when it ends. */
  private static WorkflowStatus.HeartbeatBytes bytesDone(DescribeWorkflowExecutionResponse described,
      DataConverter converter) {
    for (PendingActivityInfo activity : described.getPendingActivitiesList()) {
      if (activity.hasHeartbeatDetails() && activity.getHeartbeatDetails().getPayloadsCount() > 0) {
        Long bytes = converter.fromPayload(
            activity.getHeartbeatDetails().getPayloads(0), Long.class, Long.class);
        return new WorkflowStatus.HeartbeatBytes(bytes, activity.getAttempt());
      }
    }
    return null;
  }
}
