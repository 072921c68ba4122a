package lifeboat.workflows.failover;

/**
 * One line of an incident timeline: a step's start and end on the workflow clock, its outcome, and what it
 * saw or did in words (a probe's answer, who approved and why, the new primary's address).
 *
 * @param outcome  ok | failed | skipped | waiting | note
 */
public record TimelineEntry(String step, long startedAtMillis, long endedAtMillis, String outcome, String detail) {

  public long durationMillis() {
    return endedAtMillis <= 0 ? 0 : endedAtMillis - startedAtMillis;
  }
}
