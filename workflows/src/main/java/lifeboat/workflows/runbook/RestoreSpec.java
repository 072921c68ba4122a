package lifeboat.workflows.runbook;

/**
 * Which backup a drill or a schema push restores, and into what. Used by the kinds restore-drill and
 * restore-schema-push.
 *
 * <pre>
 * restore:
 *   backup: latest              # latest | random | a backup id
 *   window: previous-month      # with random: previous-month, or a duration back from now (30d)
 *   target: cluster             # cluster: a fresh initdb cluster on a free port on the worker (postgres)
 *                               # server: a fresh database lifeboat_drill_&lt;id&gt; on {@code server}
 *                               # (sqlite backups always restore into a temp file)
 *   server: postgresql://lifeboat@drill-db:5432/postgres   # target server: a maintenance database to connect to
 *   serverPassword: env:DRILL_DB_PASSWORD                   # secret reference, never the password itself
 *   jobs: 2                     # pg_restore -j
 *   noOwner: false              # pg_restore --no-owner --no-privileges (else the backup's globals are restored first)
 *   rto: 30m                    # recovery-time objective the drill is measured against
 *   canaryTable: app.lifeboat_canary   # pitr-drill: where its canary rows go (schema.table, made if missing);
 *                                      # lifeboat.pitr_canary when absent
 * </pre>
 */
public record RestoreSpec(
    String backup,
    String window,
    String target,
    String server,
    String serverPassword,
    Integer jobs,
    Boolean noOwner,
    String rto,
    String canaryTable) {

  /** The table a PITR drill writes its canaries into when the runbook names none. */
  public static final String DEFAULT_CANARY_TABLE = "lifeboat.pitr_canary";
  /** schema.table in lower case: the name goes into SQL as it is, so nothing else is accepted. */
  public static final String CANARY_TABLE_PATTERN = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*";

  public RestoreSpec(String backup, String window, String target, String server, String serverPassword,
      Integer jobs, Boolean noOwner, String rto) {
    this(backup, window, target, server, serverPassword, jobs, noOwner, rto, null);
  }

  public String canaryTableOrDefault() {
    return canaryTable == null ? DEFAULT_CANARY_TABLE : canaryTable;
  }

  public static final String LATEST = "latest";
  public static final String RANDOM = "random";
  public static final String PREVIOUS_MONTH = "previous-month";
  public static final String TARGET_CLUSTER = "cluster";
  public static final String TARGET_SERVER = "server";

  public static final RestoreSpec DEFAULT = new RestoreSpec(LATEST, null, TARGET_CLUSTER, null, null, 1, false, null);

  public RestoreSpec withDefaults() {
    return new RestoreSpec(backup == null ? DEFAULT.backup : backup, window,
        target == null ? DEFAULT.target : target, server, serverPassword, jobs == null ? 1 : jobs,
        noOwner != null && noOwner, rto);
  }
}
