package lifeboat.workflows.runbook;

/**
 * How the application reaches the database, and so what a failover rewrites. One of three types; the fields of
 * the other types must be absent.
 *
 * <pre>
 * repoint:
 *   type: pgbouncer                          # pgbouncer | env-file | route53
 *   config: /etc/pgbouncer/pgbouncer.ini     # pgbouncer: the ini (on the worker) whose [databases] entry is rewritten
 *   database: app                            # pgbouncer: the entry's name
 *   admin: { url: "postgresql://pgbouncer@127.0.0.1:6432/pgbouncer", password: env:PGB_ADMIN_PW }
 *
 *   type: env-file                           # an env file on the worker holding the application's URL
 *   path: /etc/app/db.env
 *   variable: DATABASE_URL                   # only host and port of its URL change; user, password, options stay
 *
 *   type: route53                            # a DNS name the application connects to
 *   hostedZoneId: Z123EXAMPLE
 *   recordName: db.example.com
 *   recordType: CNAME                        # CNAME (default) or A (the new primary's host must be an IPv4 address)
 *   ttl: 30
 *   region: us-east-1                        # optional; credentials from the SDK's default chain
 *   endpoint: https://route53.amazonaws.com  # optional override (tests, proxies)
 * </pre>
 */
public record RepointSpec(
    String type,
    String config,
    String database,
    FailoverEndpoint admin,
    String path,
    String variable,
    String hostedZoneId,
    String recordName,
    String recordType,
    Long ttl,
    String region,
    String endpoint) {

  public static final String PGBOUNCER = "pgbouncer";
  public static final String ENV_FILE = "env-file";
  public static final String ROUTE53 = "route53";

  public static RepointSpec pgbouncer(String config, String database, FailoverEndpoint admin) {
    return new RepointSpec(PGBOUNCER, config, database, admin, null, null, null, null, null, null, null, null);
  }

  public static RepointSpec envFile(String path, String variable) {
    return new RepointSpec(ENV_FILE, null, null, null, path, variable, null, null, null, null, null, null);
  }

  public static RepointSpec route53(String hostedZoneId, String recordName, String recordType, Long ttl,
      String region, String endpoint) {
    return new RepointSpec(ROUTE53, null, null, null, null, null, hostedZoneId, recordName, recordType, ttl, region,
        endpoint);
  }

  /** The env-file variable, DATABASE_URL unless named. */
  public String variableOrDefault() {
    return variable == null ? "DATABASE_URL" : variable;
  }
}
