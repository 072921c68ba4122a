package lifeboat.workflows.failover;

/**
 * A write through the application's path.
 *
 * @param url            where it connected (no password)
 * @param serverAddress  inet_server_addr():inet_server_port() as the server saw it (behind PgBouncer: the new primary)
 * @param connectMillis  time to connect
 * @param writeMillis    create, insert, read back and drop a probe table
 * @param totalMillis    both
 */
public record VerifyResult(String url, String serverAddress, long connectMillis, long writeMillis,
    long totalMillis) {}
