package lifeboat.workflows.runbook;

/**
 * The {@code failover:} section of a {@code kind: failover} runbook (docs/failover.md). Names and secret
 * references only: it travels in workflow history.
 *
 * <pre>
 * failover:
 *   primary: { url: "postgresql://postgres@10.0.0.1:5432/app", password: env:PRIMARY_PW }
 *   standby: { url: "postgresql://postgres@10.0.0.2:5432/app", password: env:STANDBY_PW }
 *   probe: { attempts: 3, window: 30s, timeout: 3s }
 *   repoint: { type: pgbouncer, config: /etc/pgbouncer/pgbouncer.ini, database: app,
 *              admin: { url: "postgresql://pgbouncer@127.0.0.1:6432/pgbouncer", password: env:PGB_ADMIN_PW } }
 *   application: { url: "postgresql://app@127.0.0.1:6432/app", password: env:APP_PW }   # the app's own path
 *   fence: { readOnly: true, command: "ssh db1 sudo systemctl stop postgresql" }
 *   rebuild: { method: auto, dataDir: /var/lib/postgresql/15/main, osUser: postgres }
 *   promoteTimeout: 60s
 * </pre>
 *
 * @param application how the application connects (through PgBouncer, the env file's URL, the DNS name):
 *                    VerifyThroughApplicationPath connects here. Absent: pgbouncer → the admin URL's host and
 *                    port with the entry's database and the standby's user and password; other types → required.
 */
public record FailoverSpec(
    FailoverEndpoint primary,
    FailoverEndpoint standby,
    ProbeSettings probe,
    RepointSpec repoint,
    FailoverEndpoint application,
    FenceSpec fence,
    RebuildSpec rebuild,
    String promoteTimeout) {

  public ProbeSettings probeOrDefault() {
    return probe == null ? ProbeSettings.DEFAULT : probe.withDefaults();
  }

  public FenceSpec fenceOrDefault() {
    return fence == null ? FenceSpec.DEFAULT : fence.withDefaults();
  }

  public String promoteTimeoutOrDefault() {
    return promoteTimeout == null ? "60s" : promoteTimeout;
  }
}
