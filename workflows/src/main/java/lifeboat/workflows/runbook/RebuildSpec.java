package lifeboat.workflows.runbook;

/**
 * How the old primary becomes a standby of the new one. The worker needs local access to its data directory
 * (the worker runs on the old primary's machine, or the directory is mounted there).
 *
 * <pre>
 * rebuild:
 *   method: auto                    # auto (pg_rewind, else pg_basebackup -R) | rewind | basebackup
 *   dataDir: /var/lib/postgresql/15/main
 *   osUser: postgres                # when the worker runs as root: tools run as this user (runuser)
 *   port: 5432                      # the port it listens on (pg_ctl start -o "-p PORT"); default: failover.primary's
 *   serverOptions: "-k /var/run/postgresql"            # more postmaster options for pg_ctl start -o
 *   stopCommand: "systemctl stop postgresql@15-main"    # optional: else pg_ctl stop -m fast -D dataDir
 *   startCommand: "systemctl start postgresql@15-main"  # optional: else pg_ctl start -D dataDir
 * </pre>
 */
public record RebuildSpec(
    String method,
    String dataDir,
    String osUser,
    Integer port,
    String serverOptions,
    String stopCommand,
    String startCommand) {

  public static final String AUTO = "auto";
  public static final String REWIND = "rewind";
  public static final String BASEBACKUP = "basebackup";

  public String methodOrDefault() {
    return method == null ? AUTO : method;
  }
}
