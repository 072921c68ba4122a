package lifeboat.workflows.runbook;

/**
 * One YAML file in runbooks/. {@code kind} says which workflow it runs; today: {@code backup}. Later issues
 * add restore-drill, restore-schema-push, pre-migration-backup and failover. The file's name without
 * .yaml is the runbook's name unless {@code name} says otherwise.
 *
 * <pre>
 * kind: backup                       # or check (CheckWorkflow; database optional: absent = all)
 * database: app                      # a database of the worker's lifeboat.yaml
 * schedule: { cron: "0 2 * * *", timeZone: Europe/Berlin, jitter: 10m }
 * retention: { daily: 7, weekly: 4, monthly: 12, yearly: 7, minAge: 24h }   # absent: never prune
 * alarms: { maxAge: 26h, sizeChangePercent: 20 }
 * </pre>
 */
public record Runbook(
    String kind,
    String name,
    String database,
    ScheduleSpec schedule,
    RetentionPolicy retention,
    AlarmPolicy alarms) {

  public static final String KIND_BACKUP = "backup";
  /** Runs CheckWorkflow: {@code database} checks that one, absent checks every configured database. */
  public static final String KIND_CHECK = "check";
}
