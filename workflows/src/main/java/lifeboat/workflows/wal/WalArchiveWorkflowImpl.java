package lifeboat.workflows.wal;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import lifeboat.workflows.Cancellations;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.model.WalStreamResult;

public class WalArchiveWorkflowImpl implements WalArchiveWorkflow {
  /** Runs per workflow run before continue-as-new: about a day of history in a few hundred events. */
  static final int RUNS_BEFORE_CONTINUE = 48;

  private final WalActivities wal = Workflow.newActivityStub(WalActivities.class);
  private boolean stopRequested;
  private WalStreamResult last;

  @Override
  public void archive(String database) {
    for (int runs = 0; runs < RUNS_BEFORE_CONTINUE; runs++) {
      Promise<WalStreamResult>[] run = new Promise[1];
      CancellationScope scope = Workflow.newCancellationScope(
          () -> run[0] = Async.function(wal::streamWal, database, RUN_FOR_MILLIS));
      scope.run();
      Workflow.await(() -> stopRequested || run[0].isCompleted());
      if (stopRequested && !run[0].isCompleted()) {
        scope.cancel();
        try {
          last = run[0].get();
        } catch (ActivityFailure e) {
          if (!Cancellations.isCancellation(e)) {
            throw e;
          }
        }
        return;
      }
      last = run[0].get(); // a run that failed for good (a config error, another cluster) fails the archive
      if (stopRequested) {
        return;
      }
    }
    Workflow.continueAsNew(database);
  }

  @Override
  public void stop(String reason) {
    stopRequested = true;
  }

  @Override
  public WalStreamResult lastRun() {
    return last;
  }
}
