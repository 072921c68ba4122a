package lifeboat.workflows.runbook;

/**
 * One YAML file in runbooks/. {@code kind} says which workflow it runs (see RunbookKinds and
 * docs/runbooks.md). The file's name without .yaml is the runbook's name unless {@code name} says otherwise.
 * A runbook holds names and secret references only, never a secret: it travels in workflow history.
 *
 * <pre>
 * kind: backup                       # or check (CheckWorkflow; database optional: absent = all)
 * database: app                      # a database of the worker's lifeboat.yaml
 * schedule: { cron: "0 2 * * *", timeZone: Europe/Berlin, jitter: 10m }
 * retention: { daily: 7, weekly: 4, monthly: 12, yearly: 7, minAge: 24h }   # absent: never prune
 * alarms: { maxAge: 26h, sizeChangePercent: 20 }
 * restore: { backup: latest, target: cluster, rto: 30m }   # restore-drill, restore-schema-push
 * migrator: { type: flyway, locations: [runbooks/migrations/app] }   # restore-drill, restore-schema-push, pre-migration-backup
 * smoke: [ { name: users exist, sql: "SELECT count(*) FROM users", expect: "> 0" } ]
 * approval: { approvers: [alice], remindEvery: 15m }        # pre-migration-backup, failover
 * failover: { primary: {...}, standby: {...}, repoint: {...} }  # failover: see FailoverSpec
 * </pre>
 */
public record Runbook(
    String kind,
    String name,
    String database,
    ScheduleSpec schedule,
    RetentionPolicy retention,
    AlarmPolicy alarms,
    RestoreSpec restore,
    MigratorSpec migrator,
    java.util.List<SmokeCheck> smoke,
    ApprovalPolicy approval,
    FailoverSpec failover) {

  public static final String KIND_BACKUP = "backup";
  /** Runs CheckWorkflow: {@code database} checks that one, absent checks every configured database. */
  public static final String KIND_CHECK = "check";
  /** Restores a backup into a throwaway target, migrates, smoke-checks, tears down, reports: RestoreDrillWorkflow. */
  public static final String KIND_RESTORE_DRILL = "restore-drill";
  /** Restores a named backup, checks its schema, migrates it to the current schema, checks again. */
  public static final String KIND_RESTORE_SCHEMA_PUSH = "restore-schema-push";
  /** Canary rows around a moment, a restore to it from a base backup and WAL, canaries checked: PitrDrillWorkflow. */
  public static final String KIND_PITR_DRILL = "pitr-drill";
  /** Backs up, verifies, migrates; a failed migration waits for a person to choose restore or abort. */
  public static final String KIND_PRE_MIGRATION_BACKUP = "pre-migration-backup";
  /** Confirms the primary is gone, waits for approval, promotes the standby, fences, repoints, verifies. */
  public static final String KIND_FAILOVER = "failover";

  /** The runbook as a plain backup/check runbook had it: the fields issue 3's runbooks use. */
  public static Runbook of(String kind, String name, String database, ScheduleSpec schedule,
      RetentionPolicy retention, AlarmPolicy alarms) {
    return new Runbook(kind, name, database, schedule, retention, alarms, null, null, null, null, null);
  }

  /** Every kind but failover: the runbook without a failover section. */
  public Runbook(String kind, String name, String database, ScheduleSpec schedule, RetentionPolicy retention,
      AlarmPolicy alarms, RestoreSpec restore, MigratorSpec migrator, java.util.List<SmokeCheck> smoke,
      ApprovalPolicy approval) {
    this(kind, name, database, schedule, retention, alarms, restore, migrator, smoke, approval, null);
  }

  public java.util.List<SmokeCheck> smokeChecks() {
    return smoke == null ? java.util.List.of() : smoke;
  }
}
