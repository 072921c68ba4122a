package lifeboat.workflows.schedule;

/**
 * One fire of a schedule.
 *
 * @param fireTime        the fire time it belongs to, ISO-8601 UTC (for a manual trigger: when it was asked)
 * @param workflowId      the child workflow's id (for a skipped run: the id it would have had)
 * @param trigger         schedule | manual
 * @param outcome         running | ok | failed | skipped
 * @param startedAtMillis workflow time the child was started (0 when skipped)
 * @param durationMillis  how long the child ran, once it ended
 * @param detail          why it failed or was skipped
 */
public record ScheduleRun(String fireTime, String workflowId, String trigger, String outcome, long startedAtMillis,
    long durationMillis, String detail) {

  public static final String RUNNING = "running";
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  ScheduleRun ended(String outcome, long endedAtMillis, String detail) {
    return new ScheduleRun(fireTime, workflowId, trigger, outcome, startedAtMillis, endedAtMillis - startedAtMillis,
        detail);
  }
}
