package lifeboat.workflows.drill;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import lifeboat.workflows.Cancellations;
import lifeboat.workflows.StepLog;

/**
 * How a drill ends, decided in one place: passed, failed (why), or cancelled; and, after the teardown, whether
 * its throwaway target was left behind. Then {@link #end} turns it into the workflow's result.
 *
 * @param failure     what the report says went wrong; null when the drill passed
 * @param cancelled   the drill was cancelled (its report says "cancelled")
 * @param leftBehind  the teardown failed: what is left and what to do, with DRILL_TEARDOWN_FAILED; else null
 */
record DrillEnding(String failure, boolean cancelled, String leftBehind) {
  static final String CANCELLED = "cancelled";

  /** The checks ran: {@code failure} is theirs (null when they passed), unless the drill was cancelled meanwhile. */
  static DrillEnding checked(String failure) {
    return Cancellations.isCancellation(null) ? new DrillEnding(CANCELLED, true, null)
        : new DrillEnding(failure, false, null);
  }

  /** A step failed, or the drill was cancelled (a cancelled activity arrives as an ActivityFailure). */
  static DrillEnding caught(RuntimeException e) {
    return Cancellations.isCancellation(e) ? new DrillEnding(CANCELLED, true, null)
        : new DrillEnding(StepLog.describe(e), false, null);
  }

  /**
   * After the teardown: a target that could not be removed fails the drill, whatever else happened, since a
   * leftover cluster or database is a problem of its own (`lifeboat check` alarms on it until it is removed).
   */
  DrillEnding tornDown(RuntimeException teardownFailed, ThrowawayTarget target) {
    if (teardownFailed == null) {
      return this;
    }
    String left = "the throwaway target could not be torn down, " + target.describe() + " is left behind: "
        + StepLog.describe(teardownFailed) + " [" + RestoreDrillWorkflowImpl.TEARDOWN_FAILURE_TYPE + "] HINT: "
        + "remove it by hand (" + howToRemove(target) + "), then delete drill-targets/" + target.database() + "/"
        + target.drillId() + ".json from the repository; `lifeboat check` reports it until then";
    return new DrillEnding(failure == null ? left : failure + "; and " + left, cancelled, left);
  }

  /** The report is recorded by now: returns it for a passed drill, else throws what the workflow ends with. */
  DrillReport end(StepLog log, String database, DrillReport report) {
    if (leftBehind != null) {
      throw failed(log, RestoreDrillWorkflowImpl.TEARDOWN_FAILURE_TYPE, database, report);
    }
    if (cancelled) {
      CanceledFailure e = new CanceledFailure("drill cancelled");
      log.failed(e);
      throw e;
    }
    if (failure != null) {
      throw failed(log, RestoreDrillWorkflowImpl.FAILURE_TYPE, database, report);
    }
    log.finished();
    return report;
  }

  private ApplicationFailure failed(StepLog log, String type, String database, DrillReport report) {
    log.failed(ApplicationFailure.newFailure(failure, type));
    return ApplicationFailure.newNonRetryableFailure("drill of " + database + " failed: " + failure, type, report);
  }

  private static String howToRemove(ThrowawayTarget t) {
    return switch (t.kind()) {
      case ThrowawayTarget.CLUSTER -> "pg_ctl -D " + t.dir() + " stop -m immediate, then rm -rf " + t.dir();
      case ThrowawayTarget.SERVER -> "DROP DATABASE " + t.name() + " WITH (FORCE)";
      default -> "rm -f " + t.dir() + "*";
    };
  }
}
