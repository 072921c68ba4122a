package lifeboat.activities.testing;

import java.nio.file.Path;
import lifeboat.activities.engine.PgBinaries;

/**
 * A throwaway PostgreSQL server for tests, superuser "postgres" with a random password over TCP.
 * {@link #start()} runs it from the local binaries (initdb/pg_ctl from Debian's {@code postgresql} package, as
 * CI does) or, with {@code LIFEBOAT_TEST_POSTGRES=testcontainers} or when those binaries are missing but a
 * Docker engine answers, in a {@code postgres:15} container (see {@link PostgresBackendChoice},
 * docs/testing.md). A container cannot offer {@link #startStandbyOf}, {@link #dataDir()}, {@link #logFile()}
 * or {@link #postmasterPid()}: they throw {@link UnsupportedOperationException}. {@link #close()} stops the
 * server and removes its files.
 *
 * <pre>try (PgCluster pg = PgCluster.start()) { pg.createDatabase("app"); pg.url("app"); }</pre>
 */
public final class PgCluster implements AutoCloseable {
  private final PostgresBackend backend;

  private PgCluster(PostgresBackend backend) {
    this.backend = backend;
  }

  /** A fresh server on a free port, local or in a container as {@link PostgresBackendChoice} decides. */
  public static PgCluster start() {
    return switch (PostgresBackendChoice.fromEnvironment()) {
      case LOCAL -> new PgCluster(LocalPostgres.start());
      case CONTAINER -> new PgCluster(startContainer());
    };
  }

  /**
   * A local server with more postmaster options after the fixture's own (a later -c wins), e.g.
   * {@code "-c wal_log_hints=on -c full_page_writes=on"}, which pg_rewind needs. Local clusters only; a standby
   * made with {@link #startStandbyOf} gets the same options.
   */
  public static PgCluster startLocal(String serverOptions) {
    if (!LocalPostgres.serverBinariesPresent()) {
      throw containerCannot("startLocal(options)", "the options are given to a local pg_ctl");
    }
    return new PgCluster(LocalPostgres.start(serverOptions));
  }

  /**
   * A streaming-replication standby of {@code primary} (pg_basebackup -R), started on its own port. It has
   * the same superuser password as the primary. Local clusters only.
   */
  public static PgCluster startStandbyOf(PgCluster primary) {
    if (!(primary.backend instanceof LocalPostgres local)) {
      throw containerCannot("startStandbyOf()", "replication between containers is not set up by this fixture");
    }
    return new PgCluster(LocalPostgres.startStandbyOf(local));
  }

  /** Whether this server runs from local binaries (false: in a container). */
  public boolean isLocal() {
    return backend instanceof LocalPostgres;
  }

  public int port() {
    return backend.port();
  }

  /** The superuser's ("postgres") password, needed for TCP connections. */
  public String password() {
    return backend.password();
  }

  public String user() {
    return "postgres";
  }

  /** libpq URI without the password: postgresql://postgres@127.0.0.1:PORT/db. */
  public String url(String db) {
    return "postgresql://postgres@" + backend.host() + ":" + port() + "/" + db;
  }

  public String jdbc(String db) {
    return "jdbc:postgresql://" + backend.host() + ":" + port() + "/" + db;
  }

  /** The data directory. Local clusters only. */
  public Path dataDir() {
    return backend.dataDir();
  }

  /** The server log. Local clusters only; {@link #logTail()} works for both. */
  public Path logFile() {
    return backend.logFile();
  }

  public String logTail() {
    return backend.logTail();
  }

  /**
   * Directory of the local PostgreSQL binaries; the engine under test runs pg_dump/pg_restore from there even
   * when the server is in a container.
   */
  public static String bindir() {
    String dir = PgBinaries.bindir();
    if (dir == null) {
      throw new IllegalStateException("PostgreSQL binaries not found: set " + PgBinaries.BINDIR_ENV);
    }
    return dir;
  }

  public void createDatabase(String name) {
    exec("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
  }

  /**
   * Runs SQL as the superuser through psql (unaligned, tuples only, ON_ERROR_STOP); returns its trimmed output,
   * e.g. "3" for a count query.
   */
  public String exec(String db, String sql) {
    return backend.psql(db, sql, null);
  }

  /** Runs an SQL file as the superuser; returns psql's trimmed output. */
  public String psql(String db, Path sqlFile) {
    return backend.psql(db, null, sqlFile);
  }

  /** Starts (or restarts after {@link #stopServer()} / {@link #killPostmaster()}) the server; waits until ready. */
  public void startServer() {
    backend.startServer();
  }

  /** A fast shutdown (pg_ctl stop -m fast, or docker stop). */
  public void stopServer() {
    backend.stopServer();
  }

  /** The postmaster's pid (first line of postmaster.pid). Local clusters only. */
  public long postmasterPid() {
    return backend.postmasterPid();
  }

  /** kill -9 of the postmaster: a crash. Its backends notice and exit; {@link #startServer()} recovers. */
  public void killPostmaster() {
    backend.killPostmaster();
  }

  @Override
  public void close() {
    backend.close();
  }

  @Override
  public String toString() {
    return (isLocal() ? "local" : "container") + " PostgreSQL on " + backend.host() + ":" + port();
  }

  /** The failure of an operation a container cannot offer. */
  static UnsupportedOperationException containerCannot(String operation, String why) {
    return new UnsupportedOperationException(operation + " is not available when PostgreSQL runs in a container ("
        + PostgresBackendChoice.ENV + "=testcontainers, or no local server binaries): " + why
        + "; install Debian's postgresql package and leave " + PostgresBackendChoice.ENV + " unset for it");
  }

  /**
   * Only activities' tests have Testcontainers; worker and CLI tests reach this fixture through the test-jar
   * without it, so say so instead of failing with NoClassDefFoundError.
   */
  private static PostgresBackend startContainer() {
    if (!PostgresBackendChoice.testcontainersOnClasspath()) {
      throw new IllegalStateException(PostgresBackendChoice.ENV + " asks for a container, but Testcontainers is "
          + "not on this module's test classpath (it is a test dependency of the activities module only); "
          + "install Debian's postgresql package to use local clusters");
    }
    return ContainerPostgres.start();
  }
}
