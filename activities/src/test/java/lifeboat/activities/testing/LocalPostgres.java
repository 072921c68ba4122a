package lifeboat.activities.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.postgres.ServerPrograms;

/**
 * {@link PgCluster}'s default backend: initdb into a temp dir under /tmp, started with pg_ctl on a free 127.0.0.1
 * port with fsync off (fast; a killed postmaster still loses nothing committed, since commits reach the OS).
 * The superuser "postgres" has a random password over TCP (scram-sha-256); Unix-socket connections (used by
 * {@link #psql}) are trusted. When the JVM runs as root, the server runs as the "postgres" OS user through
 * runuser (initdb refuses root). {@link #close()} stops it and deletes the directory.
 */
final class LocalPostgres implements PostgresBackend {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final String OS_USER = ServerPrograms.OS_USER;
  private static final Runnable NO_HEARTBEAT = () -> { };

  private final Path base;
  private final Path data;
  private final Path socketDir;
  private final Path logFile;
  private final String password;
  private final int port;
  private final Thread shutdownHook;
  private final LocalCluster cluster;
  /** More postmaster options (-c name=value ...), after the fixture's own: a later -c wins. */
  private final String serverOptions;
  private boolean running;

  private LocalPostgres(Path base, Path data, String password, int port, String serverOptions) {
    this.serverOptions = serverOptions;
    this.base = base;
    this.data = data;
    this.socketDir = base.resolve("sock");
    this.logFile = base.resolve("server.log");
    this.password = password;
    this.port = port;
    this.cluster = new LocalCluster(data, ErrorCode.UNEXPECTED_ERROR);
    this.shutdownHook = new Thread(this::destroyQuietly, "pgcluster-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** initdb + start on a free port. */
  static LocalPostgres start() {
    return start("");
  }

  /** initdb + start on a free port, with more postmaster options (e.g. "-c wal_log_hints=on"). */
  static LocalPostgres start(String serverOptions) {
    Path base = newBaseDir();
    String password = "pw-" + UUID.randomUUID();
    LocalPostgres cluster = null;
    try {
      ServerPrograms.handOver(base);
      cluster = new LocalPostgres(base, base.resolve("data"), password, freePort(), serverOptions);
      cluster.cluster.initdb(password, NO_HEARTBEAT);
      cluster.startServer();
      return cluster;
    } catch (IOException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      } else {
        LocalCluster.deleteTree(base);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /**
   * A streaming-replication standby of {@code primary} (pg_basebackup -R), started on its own port. It has
   * the same superuser password and server options as the primary.
   */
  static LocalPostgres startStandbyOf(LocalPostgres primary) {
    Path base = newBaseDir();
    LocalPostgres standby = new LocalPostgres(base, base.resolve("data"), primary.password, freePort(),
        primary.serverOptions);
    try {
      ServerPrograms.handOver(base);
      ServerPrograms.Outcome copy = ServerPrograms.run(List.of("pg_basebackup", "-h", "127.0.0.1",
          "-p", "" + primary.port, "-U", "postgres", "-D", standby.data.toString(), "-R", "-X", "stream",
          "--no-sync", "--checkpoint=fast"), Map.of("PGPASSWORD", primary.password), NO_HEARTBEAT);
      if (!copy.ok()) {
        throw new IllegalStateException("pg_basebackup failed: " + copy.summary());
      }
      standby.startServer();
      return standby;
    } catch (IOException | RuntimeException e) {
      standby.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public Path dataDir() {
    return data;
  }

  @Override
  public Path logFile() {
    return logFile;
  }

  /** initdb and pg_ctl are installed (Debian's postgresql package; postgresql-client alone is not enough). */
  static boolean serverBinariesPresent() {
    String dir = PgBinaries.bindir();
    return dir != null && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"));
  }

  @Override
  public String psql(String db, String sql, Path file) {
    List<String> cmd = new ArrayList<>(List.of(tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-h", socketDir.toString(), "-p", "" + port, "-U", "postgres", "-d", db));
    cmd.addAll(file == null ? List.of("-c", sql) : List.of("-f", file.toString()));
    return exec(cmd, Map.of(), false).trim();
  }

  /** Starts (or restarts after {@link #stopServer()} / {@link #killPostmaster()}) the server; waits until ready. */
  @Override
  public void startServer() {
    try {
      Files.createDirectories(socketDir);
      ServerPrograms.handOver(socketDir);
      // fsync=off survives a killed server (the OS keeps the writes); synchronous_commit=off would not: a
      // commit acknowledged just before killPostmaster() could be lost, and tests rely on it surviving.
      String opts = "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1"
          + " -c fsync=off -c full_page_writes=off" + (serverOptions.isEmpty() ? "" : " " + serverOptions);
      cluster.start(logFile, opts, NO_HEARTBEAT);
      running = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(e.getMessage() + "\n--- server log tail ---\n" + logTail(), e);
    }
  }

  /** pg_ctl stop -m fast. */
  @Override
  public void stopServer() {
    ServerPrograms.Outcome stop = cluster.stop("fast", NO_HEARTBEAT);
    if (!stop.ok()) {
      throw new IllegalStateException("pg_ctl stop failed: " + stop.summary());
    }
    running = false;
  }

  /** The postmaster's pid (first line of postmaster.pid). */
  @Override
  public long postmasterPid() {
    return cluster.postmasterPid();
  }

  /** kill -9 of the postmaster: a crash. Its backends notice and exit; {@link #startServer()} recovers. */
  @Override
  public void killPostmaster() {
    long pid = postmasterPid();
    ProcessHandle.of(pid).ifPresent(ph -> {
      List<ProcessHandle> backends = ph.children().toList();
      ph.destroyForcibly();
      ph.onExit().join();
      // orphaned backends notice the postmaster's death and exit; a restart needs their shared memory gone
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (ProcessHandle b : backends) {
        while (b.isAlive() && System.nanoTime() < deadline) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    });
    running = false;
  }

  @Override
  public String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "(no server log)";
      }
      byte[] all = Files.readAllBytes(logFile);
      int from = Math.max(0, all.length - 4000);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + logFile + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      destroyQuietly();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
  }

  private synchronized void destroyQuietly() {
    if (running || Files.exists(data.resolve("postmaster.pid"))) {
      cluster.stop("immediate", NO_HEARTBEAT);
      if (Files.exists(data.resolve("postmaster.pid"))) {
        try {
          ProcessHandle.of(postmasterPid()).ifPresent(ProcessHandle::destroyForcibly);
        } catch (RuntimeException ignored) {
          // nothing running
        }
      }
      running = false;
    }
    try {
      LocalCluster.deleteTree(base);
    } catch (UncheckedIOException ignored) {
      // best effort
    }
  }

  /** Runs a command (as the postgres OS user when we are root); fails with its output unless quiet. */
  private static String exec(List<String> cmd, Map<String, String> env, boolean quiet) {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.directory(Path.of("/tmp").toFile());
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", full));
      }
      if (p.exitValue() != 0 && !quiet) {
        throw new IllegalStateException(
            "failed (" + p.exitValue() + "): " + String.join(" ", full) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tool(String name) {
    return Path.of(PgCluster.bindir(), name).toString();
  }

  /** A port nobody listens on right now (the server binds it moments later). */
  static int freePort() {
    return LocalCluster.freePort();
  }

  /** A fresh directory under /tmp that the server's OS user can traverse. */
  private static Path newBaseDir() {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-pg-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
