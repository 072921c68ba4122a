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
 */
class WorkflowReplayTest {
  private static final java.util.Map<String, String> RECORDED_AS =
      java.util.Map.of("premigration-1", "migrate-bad", "drill-1", "drill-ok", "drill-2", "drill-ok",
          "drill-3", "drill-random", "drill-4", "drill-ok", "drill-5", "drill-teardown", "failover-2", "failover-1");

  @ParameterizedTest
  @ValueSource(strings = {"backup-1", "restore-1", "check-1", "schedule-1", "drill-1", "drill-2", "drill-3", "drill-4",
      "drill-5", "premigration-1", "failover-1", "failover-2"})
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
      org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> WorkflowReplayer.replayWorkflowExecution(history, worker));
    }
  }
}
