package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import lifeboat.activities.support.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded histories against today's workflow code. Workflows that are running while a new worker
 * version is deployed replay their history on it; a change that alters the sequence of commands breaks
 * them, and breaks this test first. (Recorded by BackupRestoreWorkflowTest with -Dlifeboat.recordHistories.)
 * drill-1 is a drill from before its check-key step (a Workflow.getVersion change), drill-2 one with it,
 * drill-3 a random pick whose window ends at the run's scheduled time (window-at-scheduled-time), drill-4 a
 * passing drill and drill-5 one whose teardown failed, both with faults-fail-the-drill; failover-1 is a failover
 * from before LifeboatWaitingFor (waiting-for-attribute), failover-2 one started with the attributes.
 * premigration-1 is a failed migration rolled back, recorded before list-relations (the original recording,
 * from git), premigration-2 the same with it. The failure paths: backup-2 a failed dump and its discard
 * (the saga's compensation), drill-6 a cancelled drill torn down, drill-7 failed smoke checks (truthful-report),
 * drill-8 a PostgreSQL drill with restore-globals and a migrator, retention-1 a GFS run deleting 25 backups,
 * failover-3 a drill failover that rebuilds the old primary, failover-4 one whose repoint failed after the
 * promotion, waited for a person and was retried (retry-after-promotion). wal-archive-1 is a WAL archive
 * stopped by its signal while its StreamWal run streamed (WalArchiveWorkflowTest); backup-3 a base backup
 * (BaseBackupWorkflowTest: its own step, base-backup-to-repository); pitr-1 a restore to a moment and
 * pitr-drill-1 a passing PITR drill (PointInTimeRestoreTest); retention-2 a run that keeps each kind on its
 * own and prunes the WAL (retention-by-kind, BaseBackupRetentionTest); premigration-3 a migration behind a
 * restore point (restore-point-before-migration, PointInTimeRestoreTest); failover-5 a drill failover that
 * points the WAL archive at the new primary (follow-wal-archive, FailoverThenPitrTest); drill-9 a MariaDB
 * restore-then-schema-push into a throwaway mariadbd, its accounts restored first (mariadb-drill-accounts,
 * MariaDbSchemaPushTest); restore-2 a MariaDB restore to a moment, its dump restored and its binlog replayed
 * (binlog-replay, MariaDbPointInTimeTest); pitr-drill-2 a MariaDB PITR drill, a dump and its binlog into a
 * throwaway mariadbd (mariadb-pitr-drill, MariaDbPointInTimeTest); retention-3 a MariaDB retention run that
 * prunes the binlog archive before the oldest kept dump's file (binlog-retention, MariaDbPointInTimeTest);
 * restore-3 a MariaDB restore to a moment whose replay was interrupted, redone from the dump (MariaDbPointInTimeTest).
 */
class WorkflowReplayTest {
  private static final java.util.Map<String, String> RECORDED_AS =
      java.util.Map.ofEntries(java.util.Map.entry("premigration-1", "migrate-bad"),
          java.util.Map.entry("premigration-2", "migrate-bad"), java.util.Map.entry("drill-1", "drill-ok"),
          java.util.Map.entry("drill-2", "drill-ok"), java.util.Map.entry("drill-3", "drill-random"),
          java.util.Map.entry("drill-4", "drill-ok"), java.util.Map.entry("drill-5", "drill-teardown"),
          java.util.Map.entry("drill-6", "drill-cancel"), java.util.Map.entry("drill-7", "drill-smoke"),
          java.util.Map.entry("drill-8", "push-ok"),
          java.util.Map.entry("drill-9", "push-ok"), java.util.Map.entry("backup-2", "backup-shop"),
          java.util.Map.entry("retention-1", "retention-notes"), java.util.Map.entry("failover-2", "failover-1"),
          java.util.Map.entry("failover-3", "failover-drill"), java.util.Map.entry("failover-4", "failover-retry"),
          java.util.Map.entry("wal-archive-1", "wal-archive-app"),
          java.util.Map.entry("backup-3", "base-archived"),
          java.util.Map.entry("pitr-1", "pitr-time"), java.util.Map.entry("pitr-drill-1", "pitr-drill-ok"),
          java.util.Map.entry("retention-2", "retention-run"),
          java.util.Map.entry("premigration-3", "migrate-app-pitr"), java.util.Map.entry("failover-5", "failover-app"),
          java.util.Map.entry("restore-2", "restore-shop-at-t"), java.util.Map.entry("pitr-drill-2", "pitr-drill-shop"),
          java.util.Map.entry("retention-3", "retention-shop"), java.util.Map.entry("restore-3", "restore-shop-redo"));

  @ParameterizedTest
  @ValueSource(strings = {"backup-1", "backup-2", "restore-1", "check-1", "schedule-1", "retention-1", "drill-1",
      "drill-2", "drill-3", "drill-4", "drill-5", "drill-6", "drill-7", "drill-8", "premigration-1",
      "premigration-2", "failover-1", "failover-2", "failover-3", "failover-4", "wal-archive-1", "backup-3", "pitr-1", "pitr-drill-1", "retention-2", "premigration-3",
      "failover-5", "drill-9", "restore-2", "pitr-drill-2", "retention-3", "restore-3"})
  void recordedHistoryReplaysOnCurrentCode(String name) throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/histories/" + name + ".json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Under the id it ran as: PreMigrationBackupWorkflow names its children after its own id.
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json, RECORDED_AS.getOrDefault(name, name));
    assertTrue(history.getEvents().size() > 10, "a real recorded history");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      // The same registration as production, so replay sees the same per-activity options.
      Worker worker = LifeboatWorker.register(env.getWorkerFactory(),
          Workspace.fromFile(Path.of("no-config-needed-for-replay.yaml")));
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  @Test
  void aHistoryFromDifferentCodeFailsReplay() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/histories/backup-1.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Rename the first activity in the history: the code now schedules a step the history never saw.
    String tampered = json.replaceFirst("\"PrepareBackup\"", "\"SomethingElse\"");
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(tampered);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = LifeboatWorker.register(env.getWorkerFactory(),
          Workspace.fromFile(Path.of("no-config-needed-for-replay.yaml")));
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> WorkflowReplayer.replayWorkflowExecution(history, worker));
      assertTrue(nonDeterminism(e), "a non-determinism error, not any failure:\n" + trace(e));

      // And the check tells it from other failures: a workflow type this worker does not have fails otherwise.
      WorkflowExecutionHistory unknown = WorkflowExecutionHistory.fromJson(
          json.replace("\"BackupWorkflow\"", "\"NoSuchWorkflow\""));
      Exception other = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> WorkflowReplayer.replayWorkflowExecution(unknown, worker));
      org.junit.jupiter.api.Assertions.assertFalse(nonDeterminism(other), trace(other));
    }
  }

  /**
   * Whether the replay failed because the code's commands differ from the history's: the SDK's
   * NonDeterministicException somewhere in the cause chain. WorkflowReplayer (SDK 1.38) reports it as the failure
   * of its replay-only query, a RuntimeException without a cause that names the exception and its code TMPRL1100
   * in its message: so the message counts too, with both.
   */
  private static boolean nonDeterminism(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof io.temporal.worker.NonDeterministicException
          || message.contains(io.temporal.worker.NonDeterministicException.class.getName() + ": [TMPRL1100]")) {
        return true;
      }
    }
    return false;
  }

  private static String trace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
