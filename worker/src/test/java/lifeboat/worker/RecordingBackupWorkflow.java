package lifeboat.worker;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Stands in for BackupWorkflow in the scheduling-logic tests: records when each child started and ended (in
 * workflow time) and takes {@link #takes} to finish. Database "broken" fails.
 */
public class RecordingBackupWorkflow implements BackupWorkflow {
  /** Times to the second: a workflow task takes a few milliseconds of the test server's clock. */
  record Run(String workflowId, Instant started, Instant ended) {}

  static final Map<String, Run> RUNS = new ConcurrentHashMap<>();
  static volatile Duration takes = Duration.ofMinutes(5);

  static void reset(Duration duration) {
    RUNS.clear();
    takes = duration;
  }

  /** Runs in start order. */
  static List<Run> runs() {
    return RUNS.values().stream().sorted(Comparator.comparing(Run::started)).toList();
  }

  @Override
  public BackupResult backup(BackupRequest request) {
    String id = Workflow.getInfo().getWorkflowId();
    Instant started = Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS);
    RUNS.putIfAbsent(id, new Run(id, started, null));
    Workflow.sleep(takes);
    RUNS.put(id, new Run(id, started, Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS)));
    if (request.database().equals("broken")) {
      throw ApplicationFailure.newNonRetryableFailure("the database is broken", "BROKEN");
    }
    return new BackupResult("b-" + id, request.database(), 1, 1, takes.toMillis(), true, "nowhere");
  }

  @Override
  public WorkflowProgress progress() {
    return new WorkflowProgress("running", "", List.of(), null);
  }
}
