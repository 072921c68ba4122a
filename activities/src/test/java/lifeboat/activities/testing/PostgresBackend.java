package lifeboat.activities.testing;

import java.nio.file.Path;

/**
 * What {@link PgCluster} needs from a running PostgreSQL server. Two implementations: {@link LocalPostgres}
 * (initdb/pg_ctl from the machine's PostgreSQL packages; what CI uses) and {@link ContainerPostgres}
 * (Testcontainers, for machines with a Docker engine but no local server binaries). The superuser is always
 * "postgres", reachable over TCP on 127.0.0.1 (or the Docker host) with a password.
 */
interface PostgresBackend extends AutoCloseable {

  /** Host for TCP connections, e.g. "127.0.0.1". */
  String host();

  int port();

  String password();

  /** Runs SQL (or, with {@code file}, an SQL file) as the superuser through psql -At; trimmed output. */
  String psql(String db, String sql, Path file);

  void startServer();

  void stopServer();

  /** A crash: SIGKILL of the postmaster. {@link #startServer()} recovers. */
  void killPostmaster();

  long postmasterPid();

  Path dataDir();

  Path logFile();

  String logTail();

  @Override
  void close();
}
