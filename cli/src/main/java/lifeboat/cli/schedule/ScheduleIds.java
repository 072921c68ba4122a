package lifeboat.cli.schedule;

/** Schedule ids, the same on both servers: {@code schedule-<runbook>}, whether a workflow or a Temporal Schedule. */
public final class ScheduleIds {
  static final String PREFIX = "schedule-";

  private ScheduleIds() {}

  public static String of(String runbook) {
    return PREFIX + runbook;
  }

  /** A schedule's id from a runbook name, or from the id itself. */
  public static String idOf(String nameOrId) {
    return nameOrId.startsWith(PREFIX) ? nameOrId : of(nameOrId);
  }
}
