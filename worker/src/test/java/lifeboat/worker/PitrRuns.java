package lifeboat.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.pitr.PointInTimeRestoreWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;

/** What the point-in-time restore tests share: the archive's status and wait, a restore and where it goes. */
final class PitrRuns {
  private PitrRuns() {}

  static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.LIFEBOAT).build();
  }

  /** `lifeboat wal status` of {@code database}, through its workflow. */
  static WalStatus status(WorkflowClient client, String database) {
    return client.newWorkflowStub(WalStatusWorkflow.class, options("wal-status-" + System.nanoTime()))
        .status(database);
  }

  /** Waits until the archive has stored WAL through {@code lsn}; fails after a minute. */
  static WalStatus awaitArchived(WorkflowClient client, String database, long lsn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    WalStatus s = null;
    while (System.nanoTime() < deadline) {
      s = status(client, database);
      if (s.archivedLsn() != null && WalNames.parseLsn(s.archivedLsn()) >= lsn) {
        return s;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the archive of " + database + " never reached " + WalNames.lsn(lsn) + ": " + s);
  }

  static PitrResult restore(WorkflowClient client, String id, PitrRequest request) {
    return client.newWorkflowStub(PointInTimeRestoreWorkflow.class, options(id)).restore(request);
  }

  /** Where restored clusters go: a folder in /tmp the postgres OS user can enter (a JUnit @TempDir is 0700). */
  static Path restoresFolder() throws IOException {
    return Files.createTempDirectory(Path.of("/tmp"), "lb-pitr-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  /** Stops the server a restore left running on {@code dir}, if any. */
  static void stopRestored(Path dir) {
    new LocalCluster(dir, ErrorCode.RESTORE_FAILED).stop("immediate", () -> { });
  }
}
