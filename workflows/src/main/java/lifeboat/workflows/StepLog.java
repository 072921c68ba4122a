package lifeboat.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Records each step of a workflow run (name, workflow-clock start and end, outcome) for the progress query.
 * Only workflow time is used, so replay reproduces the same records.
 */
public final class StepLog {
  private final List<StepRecord> steps = new ArrayList<>();
  private String state = "running";
  private String current = "";
  private String error;

  public <R> R run(String name, Functions.Func<R> step) {
    long start = Workflow.currentTimeMillis();
    current = name;
    steps.add(new StepRecord(name, start, 0, "running", null));
    int index = steps.size() - 1;
    try {
      R result = step.apply();
      steps.set(index, new StepRecord(name, start, Workflow.currentTimeMillis(), "ok", null));
      return result;
    } catch (RuntimeException e) {
      steps.set(index, new StepRecord(name, start, Workflow.currentTimeMillis(), "failed", describe(e)));
      throw e;
    }
  }

  /**
   * A step whose result can say it failed though the call itself succeeded (smoke checks that ran and did not
   * pass): {@code failureOf} returns what went wrong, or null, and the step is recorded failed with it.
   */
  public <R> R run(String name, Functions.Func<R> step, Functions.Func1<R, String> failureOf) {
    int index = steps.size();
    R result = run(name, step);
    String failure = failureOf.apply(result);
    if (failure != null) {
      StepRecord ran = steps.get(index);
      steps.set(index, new StepRecord(name, ran.startedAtMillis(), ran.endedAtMillis(), "failed", failure));
    }
    return result;
  }

  public void run(String name, Functions.Proc step) {
    run(name, () -> {
      step.apply();
      return null;
    });
  }

  public void finished() {
    state = "completed";
    current = "";
  }

  public void failed(RuntimeException e) {
    state = "failed";
    error = describe(e);
  }

  public WorkflowProgress progress() {
    return new WorkflowProgress(state, current, List.copyOf(steps), error);
  }

  /** The message a user needs: an activity failure's application cause, without the wrapping layers. */
  public static String describe(Throwable e) {
    Throwable t = e;
    while (t instanceof ActivityFailure && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure af) {
      return af.getOriginalMessage();
    }
    if (t instanceof TemporalFailure tf) {
      return tf.getOriginalMessage();
    }
    return String.valueOf(t.getMessage());
  }
}
