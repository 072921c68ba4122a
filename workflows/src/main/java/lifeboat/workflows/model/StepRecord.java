package lifeboat.workflows.model;

/**
 * One step of a workflow run, as `lifeboat status` shows it.
 *
 * @param outcome   running | ok | failed | compensated
 */
public record StepRecord(String name, long startedAtMillis, long endedAtMillis, String outcome, String detail) {

  public long durationMillis() {
    return endedAtMillis == 0 ? 0 : endedAtMillis - startedAtMillis;
  }
}
