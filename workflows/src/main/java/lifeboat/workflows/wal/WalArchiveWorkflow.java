package lifeboat.workflows.wal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import lifeboat.workflows.model.WalStreamResult;

/**
 * The continuous WAL archive of one database: runs until stopped, one per database ({@link #idFor}). Each
 * run of its StreamWal step streams for a while and returns; a failed run is retried from the slot, which has
 * kept everything not stored; the workflow continues as new now and then to keep its history short.
 */
@WorkflowInterface
public interface WalArchiveWorkflow {
  /** How long one StreamWal run streams before the workflow starts the next. */
  long RUN_FOR_MILLIS = 30 * 60 * 1000L;

  static String idFor(String database) {
    return "wal-archive-" + database;
  }

  @WorkflowMethod
  void archive(String database);

  /** Ends the archive: the run in progress stores what it has, then the workflow completes. */
  @SignalMethod
  void stop(String reason);

  /** The last run's result, or null before the first has returned. */
  @QueryMethod
  WalStreamResult lastRun();
}
