package lifeboat.cli.wal;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Json;
import lifeboat.cli.Retries;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.wal.WalArchiveWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "A database's WAL archive: whether it runs, the archived range, lag, slot and gaps.")
public final class WalStatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml.")
  String database;

  @Option(names = "--json", description = "Print it as JSON.")
  boolean json;

  /** The archive workflow's state (running, completed, failed, ... or not-started) and its retrying steps. */
  public record Archiving(String workflowId, String state, List<Retries.Retry> retrying) {}

  /** What `--json` prints. */
  public record Report(Archiving archiving, WalStatus archive) {}

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    try (Temporal t = new Temporal(temporal)) {
      Archiving archiving = archiving(t);
      WalStatus status = t.client().newWorkflowStub(WalStatusWorkflow.class,
          Temporal.start(WorkflowIds.next("wal-status", database))).status(database);
      var out = spec.commandLine().getOut();
      if (json) {
        Json.print(out, new Report(archiving, status));
      } else {
        WalStatusText.print(archiving, status, Instant.now(), out);
      }
      out.flush();
      return archiving.state().equals("running") ? ExitCodes.OK : ExitCodes.UNEXPECTED_STATE;
    }
  }

  private Archiving archiving(Temporal t) {
    String id = WalArchiveWorkflow.idFor(database);
    try {
      DescribeWorkflowExecutionResponse described = t.service().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder().setNamespace(temporal.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
      String state = described.getWorkflowExecutionInfo().getStatus().name()
          .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase();
      return new Archiving(id, state, Retries.of(described, t.client().getOptions().getDataConverter()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Archiving(id, "not-started", List.of());
      }
      throw e;
    }
  }
}
