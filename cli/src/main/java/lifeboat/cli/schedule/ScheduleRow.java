package lifeboat.cli.schedule;

/**
 * One line of `schedule list`, whichever server holds the schedule.
 *
 * @param id        schedule-<runbook>
 * @param nextFire  ISO-8601 UTC, or null while paused or when it never fires again
 * @param pauseNote "paused by carol: moving disks" while paused, else null
 * @param lastRun   "outcome time workflow-id (detail)", or null before the first run
 * @param problem   a refused update (ScheduleWorkflow only), or null
 */
record ScheduleRow(String id, String kind, String database, String nextFire, boolean paused, String pauseNote,
    String lastRun, String problem) {}
