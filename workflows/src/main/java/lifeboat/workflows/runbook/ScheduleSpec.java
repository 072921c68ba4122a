package lifeboat.workflows.runbook;

/**
 * When a runbook runs.
 *
 * @param cron      five-field cron expression, e.g. "0 2 * * *" (nicknames like @daily are not accepted)
 * @param timeZone  IANA zone the cron expression is read in, default UTC
 * @param jitter    up to this much random delay after each fire time ("10m"), default none
 */
public record ScheduleSpec(String cron, String timeZone, String jitter) {}
