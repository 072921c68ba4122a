package lifeboat.activities.testing;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

/**
 * {@link PgCluster}'s backend for machines with a Docker engine (laptops, hosted CI): a {@code postgres:15}
 * container through Testcontainers. Only activities' own tests can use it (Testcontainers is its test
 * dependency); this class is touched only after {@link PostgresBackendChoice#testcontainersOnClasspath()}.
 *
 * <p>The engine under test still runs the local pg_dump/pg_restore against it over TCP, so the image's major
 * version must not be newer than the local client tools (Debian bookworm: 15).
 *
 * <p>Differences from {@link LocalPostgres}, all failing with {@link UnsupportedOperationException}: no
 * {@code startStandbyOf} (replication would need a Docker network and a second configured container), no
 * {@code dataDir}/{@code logFile} (they live inside the container; {@link #logTail()} reads the container's
 * output instead), no {@code postmasterPid} (a pid in the container's namespace means nothing to the host).
 */
final class ContainerPostgres implements PostgresBackend {
  static final String IMAGE = "postgres:15";
  private static final int PG_PORT = 5432;

  private final PostgreSQLContainer container;
  private final int hostPort;

  private ContainerPostgres(PostgreSQLContainer container, int hostPort) {
    this.container = container;
    this.hostPort = hostPort;
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Pulls (first time) and starts the container; returns once it accepts connections. */
  static PostgresBackend start() {
    int hostPort = LocalPostgres.freePort();
    PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
        .withUsername("postgres")
        .withPassword("pw-" + UUID.randomUUID())
        .withDatabaseName("postgres")
        // same server settings as the local clusters (see LocalPostgres.startServer)
        .withEnv("POSTGRES_INITDB_ARGS", "-E UTF8 --locale=C")
        .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off")
        .withStartupTimeout(Duration.ofMinutes(2));
    // A fixed host port: Docker picks a new random one on every restart, but port() and url() must stay
    // valid across stopServer()/startServer() and killPostmaster(), as they do for a local cluster.
    container.setPortBindings(List.of(hostPort + ":" + PG_PORT));
    container.start();
    return new ContainerPostgres(container, hostPort);
  }

  @Override
  public String host() {
    String host = container.getHost();
    return "localhost".equals(host) ? "127.0.0.1" : host;
  }

  @Override
  public int port() {
    return hostPort;
  }

  @Override
  public String password() {
    return container.getPassword();
  }

  /** psql inside the container over its Unix socket (trusted there), like LocalPostgres does on the host. */
  @Override
  public String psql(String db, String sql, Path file) {
    List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-U", "postgres", "-d", db));
    if (file == null) {
      cmd.addAll(List.of("-c", sql));
    } else {
      String inside = "/tmp/lifeboat-" + UUID.randomUUID() + ".sql";
      container.copyFileToContainer(MountableFile.forHostPath(file), inside);
      cmd.addAll(List.of("-f", inside));
    }
    ExecResult result;
    try {
      result = container.execInContainer(cmd.toArray(String[]::new));
    } catch (IOException | RuntimeException e) {
      // e.g. the container is stopped: the same exception type as a failing local psql
      throw new IllegalStateException("psql in container failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("psql in container failed (" + result.getExitCode() + "): "
          + result.getStderr() + result.getStdout());
    }
    return result.getStdout().trim();
  }

  /** Starts the stopped or killed container again (same data, same port); waits until it takes logins. */
  @Override
  public void startServer() {
    docker().startContainerCmd(container.getContainerId()).exec();
    awaitReady();
  }

  /** docker stop: the image's stop signal is SIGINT, PostgreSQL's fast shutdown, like pg_ctl -m fast. */
  @Override
  public void stopServer() {
    docker().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
  }

  /** docker kill (SIGKILL): the postmaster is the container's PID 1, so this is a crash of the whole server. */
  @Override
  public void killPostmaster() {
    docker().killContainerCmd(container.getContainerId()).exec();
  }

  @Override
  public long postmasterPid() {
    throw PgCluster.containerCannot("postmasterPid()",
        "its pid lives in the container's namespace; use killPostmaster()");
  }

  @Override
  public Path dataDir() {
    throw PgCluster.containerCannot("dataDir()", "the data directory is inside the container");
  }

  @Override
  public Path logFile() {
    throw PgCluster.containerCannot("logFile()", "the server logs to the container's output; use logTail()");
  }

  @Override
  public String logTail() {
    try {
      String all = container.getLogs();
      return all.substring(Math.max(0, all.length() - 4000));
    } catch (RuntimeException e) {
      return "(could not read the container's logs: " + e + ")";
    }
  }

  /** Stops and removes the container (Testcontainers' reaper also removes it if the JVM dies first). */
  @Override
  public void close() {
    container.stop();
  }

  private DockerClient docker() {
    return container.getDockerClient();
  }

  private void awaitReady() {
    String jdbc = "jdbc:postgresql://" + host() + ":" + hostPort + "/postgres";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Connection c = DriverManager.getConnection(jdbc, "postgres", password())) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("container did not accept connections within 60s: " + e
              + "\n--- container log tail ---\n" + logTail(), e);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
