package lifeboat.activities.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lifeboat.activities.postgres.ServerPrograms;

/**
 * Debian's PgBouncer (/usr/sbin/pgbouncer, installed by .ci/run) in front of a {@link PgCluster}, on a free
 * 127.0.0.1 port, for failover tests. Its pgbouncer.ini has one entry, {@code app = host=127.0.0.1 port=<primary>
 * dbname=app}, and {@code auth_type = scram-sha-256} with an auth_file holding plain passwords: the cluster's
 * "postgres" password (so PgBouncer can answer the server's SCRAM challenge for it) and the admin user's
 * ({@link #ADMIN_USER}, in admin_users, for the "pgbouncer" admin console). pool_mode is session;
 * {@code ignore_startup_parameters = extra_float_digits} lets JDBC clients in, as any JDBC deployment needs.
 * When the JVM runs as root it runs as the "postgres" OS user through runuser (PgBouncer refuses root).
 * {@link #close()} stops it and removes its directory.
 */
public final class PgBouncer implements AutoCloseable {
  public static final String ADMIN_USER = "lifeboat_admin";
  public static final String DATABASE = "app";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final Path dir;
  private final int port;
  private final String adminPassword;
  private final Thread shutdownHook;

  private PgBouncer(Path dir, int port, String adminPassword) {
    this.dir = dir;
    this.port = port;
    this.adminPassword = adminPassword;
    this.shutdownHook = new Thread(this::stopQuietly, "pgbouncer-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** PgBouncer with the entry {@value #DATABASE} pointing at {@code backend}'s database "app". */
  public static PgBouncer startFor(PgCluster backend) {
    return startFor(backend, 1);
  }

  /**
   * As {@link #startFor(PgCluster)}, with PgBouncer's server_login_retry: how long it refuses new clients of
   * an entry after a failed login to its server (PgBouncer's default is 15 s; the other tests use 1).
   */
  public static PgBouncer startFor(PgCluster backend, int serverLoginRetrySeconds) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " not found: apt-get install pgbouncer (.ci/run does)");
    }
    Path dir;
    try {
      // short: the Unix socket path must fit in 108 bytes
      dir = Files.createTempDirectory(Path.of("/tmp"), "lb-pgb-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PgBouncer bouncer = new PgBouncer(dir, LocalPostgres.freePort(), "admin-" + UUID.randomUUID());
    try {
      Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"" + backend.password() + "\"\n\""
          + ADMIN_USER + "\" \"" + bouncer.adminPassword + "\"\n");
      Files.writeString(bouncer.iniFile(), bouncer.ini(backend.port(), serverLoginRetrySeconds));
      ServerPrograms.handOverTree(dir);
      bouncer.launch();
      return bouncer;
    } catch (IOException | RuntimeException e) {
      bouncer.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private String ini(int backendPort, int serverLoginRetrySeconds) {
    return """
        ;; written by the PgBouncer test fixture
        [databases]
        %s = host=127.0.0.1 port=%d dbname=%s

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir = %s
        auth_type = scram-sha-256
        auth_file = %s
        admin_users = %s
        pool_mode = session
        ignore_startup_parameters = extra_float_digits
        server_connect_timeout = 3
        server_login_retry = %d
        logfile = %s
        pidfile = %s
        """.formatted(DATABASE, backendPort, DATABASE, port, dir, dir.resolve("userlist.txt"), ADMIN_USER,
        serverLoginRetrySeconds, logFile(), dir.resolve("pgbouncer.pid"));
  }

  public int port() {
    return port;
  }

  public Path iniFile() {
    return dir.resolve("pgbouncer.ini");
  }

  public Path logFile() {
    return dir.resolve("pgbouncer.log");
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** postgresql://lifeboat_admin@127.0.0.1:PORT/pgbouncer: the admin console. */
  public String adminUrl() {
    return "postgresql://" + ADMIN_USER + "@127.0.0.1:" + port + "/pgbouncer";
  }

  /** postgresql://postgres@127.0.0.1:PORT/app: how the application connects, through PgBouncer. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + DATABASE;
  }

  public String jdbc() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  /** SHOW DATABASES on the admin console through psql: one "name|host|port|database|..." line per entry. */
  public List<String> showDatabases() {
    return List.of(admin("SHOW DATABASES").split("\n"));
  }

  /** The row of SHOW DATABASES for {@code name}, or null. */
  public String databaseRow(String name) {
    return showDatabases().stream().filter(l -> l.startsWith(name + "|")).findFirst().orElse(null);
  }

  /** Runs one admin console command through psql -At; its output. */
  public String admin(String command) {
    ProcessBuilder pb = new ProcessBuilder(Path.of(PgCluster.bindir(), "psql").toString(), "-X", "-A", "-t",
        "-h", "127.0.0.1", "-p", "" + port, "-U", ADMIN_USER, "-d", "pgbouncer", "-c", command)
        .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", adminPassword);
    return run(pb, "psql " + command).trim();
  }

  public String logTail() {
    try {
      String log = Files.readString(logFile());
      return log.substring(Math.max(0, log.length() - 3000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void launch() {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(BINARY.toString(), "-d", iniFile().toString()));
    run(new ProcessBuilder(cmd).redirectErrorStream(true), "pgbouncer -d");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("pgbouncer did not listen on " + port + "\n" + logTail());
  }

  private static String run(ProcessBuilder pb, String what) {
    pb.directory(Path.of("/tmp").toFile());
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops PgBouncer (SIGTERM), keeping its folder and ini: {@link #restart()} brings it back as it was. */
  public synchronized void stop() {
    pid().flatMap(ProcessHandle::of).ifPresent(PgBouncer::terminate);
  }

  /** Starts it again after {@link #stop()}, reading its ini as it is now. */
  public void restart() {
    launch();
  }

  @Override
  public void close() {
    try {
      stopQuietly();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
  }

  private synchronized void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // best effort: nothing running
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  private java.util.Optional<Long> pid() {
    Path pidFile = dir.resolve("pgbouncer.pid");
    try {
      return Files.exists(pidFile) ? java.util.Optional.of(Long.parseLong(Files.readString(pidFile).trim()))
          : java.util.Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static void terminate(ProcessHandle ph) {
    ph.destroy(); // SIGTERM: PgBouncer 1.18 shuts down at once
    try {
      ph.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ph.destroyForcibly();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "PgBouncer on 127.0.0.1:" + port;
  }
}
