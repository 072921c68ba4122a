package lifeboat.cli.testing;

import io.temporal.client.WorkflowClient;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.runbook.Runbook;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.cli.Temporal;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.restore.RestoreWorkflow;

/** Starts Lifeboat workflows through a client, as the CLI does, and waits for their results. */
public final class WorkflowRuns {
  private WorkflowRuns() {}

  /** Starts a backup of {@code database}; returns the workflow id. */
  public static String startBackup(WorkflowClient client, String database) {
    String id = WorkflowIds.next("backup", database);
    BackupWorkflow wf = client.newWorkflowStub(BackupWorkflow.class, Temporal.start(id));
    WorkflowClient.start(wf::backup, new BackupRequest(database, null));
    return id;
  }

  /** Starts a base backup of {@code database} (pg_basebackup); returns the workflow id. */
  public static String startBaseBackup(WorkflowClient client, String database) {
    String id = WorkflowIds.next("backup", database);
    BackupWorkflow wf = client.newWorkflowStub(BackupWorkflow.class, Temporal.start(id));
    WorkflowClient.start(wf::backup, new BackupRequest(database, null, null, BackupRequest.BASE));
    return id;
  }

  /** Starts a restore of the latest backup of {@code database}; returns the workflow id. */
  public static String startRestore(WorkflowClient client, String database, String target, String passwordRef) {
    String id = WorkflowIds.next("restore", database);
    RestoreWorkflow wf = client.newWorkflowStub(RestoreWorkflow.class, Temporal.start(id));
    WorkflowClient.start(wf::restore,
        new RestoreRequest(database, RestoreRequest.LATEST, target, passwordRef, 1, false));
    return id;
  }

  /** Starts a restore drill of {@code runbook}; returns the workflow id. */
  public static String startDrill(WorkflowClient client, Runbook runbook) {
    String id = WorkflowIds.next("drill", runbook.name());
    RestoreDrillWorkflow wf = client.newWorkflowStub(RestoreDrillWorkflow.class, Temporal.start(id));
    WorkflowClient.start(wf::drill, new DrillRequest(runbook, null, "test"));
    return id;
  }

  public static DrillReport drillResult(WorkflowClient client, String id, Duration timeout) {
    return result(client, id, timeout, DrillReport.class);
  }

  /** Whether the workflow has closed (completed, failed, cancelled...). */
  public static boolean isClosed(WorkflowClient client, String id) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(id)).build())
        .getWorkflowExecutionInfo().hasCloseTime();
  }

  public static BackupResult backupResult(WorkflowClient client, String id, Duration timeout) {
    return result(client, id, timeout, BackupResult.class);
  }

  public static RestoreResult restoreResult(WorkflowClient client, String id, Duration timeout) {
    return result(client, id, timeout, RestoreResult.class);
  }

  private static <T> T result(WorkflowClient client, String id, Duration timeout, Class<T> type) {
    try {
      return client.newUntypedWorkflowStub(id).getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, type);
    } catch (TimeoutException e) {
      throw new AssertionError("workflow " + id + " did not finish within " + timeout, e);
    }
  }
}
