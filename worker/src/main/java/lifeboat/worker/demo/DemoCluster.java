package lifeboat.worker.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.postgres.ServerPrograms;

/**
 * The demo's throwaway PostgreSQL cluster, made by the worker side ({@link LocalCluster}, as a drill's are), so
 * that the CLI's demo never runs a server program itself. The demo's rules: the files stay in the demo folder
 * for the user to look at, unless they had to go to /tmp (a path too long for a Unix socket, or a folder the
 * {@code postgres} OS user of a root worker cannot reach), and Ctrl-C still stops the server.
 */
public final class DemoCluster implements AutoCloseable {
  /** Server programs the demo needs; the client ones (pg_dump, pg_restore) are what the worker runs. */
  static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "pg_dump", "pg_restore");
  /** sun_path is 108 bytes on Linux; the server's socket is DIR/.s.PGSQL.PORT. */
  private static final int MAX_SOCKET_DIR = 90;
  private static final Runnable NO_HEARTBEAT = () -> { };

  /** Why the PostgreSQL part cannot run here; the demo prints it and goes on without PostgreSQL. */
  public static final class Unavailable extends Exception {
    Unavailable(String reason) {
      super(reason);
    }
  }

  private final Path base;
  private final LocalCluster cluster;
  /** Why the cluster is in a folder of its own under /tmp (deleted on close), or null when under the demo's. */
  private final String movedBecause;
  private final int port;
  private final Thread shutdownHook = new Thread(this::close, "lifeboat-demo-pg-stop");
  private boolean running;

  private DemoCluster(Path base, String movedBecause, int port) {
    this.base = base;
    this.cluster = new LocalCluster(base.resolve("data"), ErrorCode.UNEXPECTED_ERROR);
    this.movedBecause = movedBecause;
    this.port = port;
  }

  /** Whether the server programs are here: $LIFEBOAT_PG_BINDIR, else pg_config --bindir, else the PATH. */
  static void requirePrograms() throws Unavailable {
    List<String> missing = new ArrayList<>();
    for (String program : PROGRAMS) {
      Path path = Path.of(PgBinaries.tool(program));
      if (!path.isAbsolute() || !Files.isExecutable(path)) {
        missing.add(program);
      }
    }
    if (!missing.isEmpty()) {
      throw new Unavailable(String.join(", ", missing) + " not found (install the PostgreSQL server, or set "
          + PgBinaries.BINDIR_ENV + " to the directory holding initdb)");
    }
    try {
      ServerPrograms.requireAvailable();
    } catch (LifeboatException e) {
      throw new Unavailable(e.getMessage());
    }
  }

  /**
   * A fresh cluster under {@code preferred} (deleted first if an earlier demo left one), superuser "postgres"
   * with {@code password} over TCP, trusted over the Unix socket only. See the class comment for when it goes
   * to /tmp instead; {@link #note()} says so.
   */
  public static DemoCluster start(Path preferred, String password) throws Unavailable, IOException {
    requirePrograms();
    stopLeftover(preferred);
    LocalCluster.deleteTree(preferred);
    Path base = Files.createDirectories(preferred);
    String movedBecause = null;
    if (base.resolve("run").toAbsolutePath().toString().length() > MAX_SOCKET_DIR) {
      movedBecause = "the demo folder's path is too long for a Unix socket";
    } else if (ServerPrograms.root() && !reachableByPostgres(base)) {
      movedBecause = "the \"postgres\" OS user the server runs as cannot reach the demo folder";
    }
    if (movedBecause != null) {
      LocalCluster.deleteTree(base);
      base = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-demo-pg-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    DemoCluster demo = new DemoCluster(base, movedBecause, LocalCluster.freePort());
    Runtime.getRuntime().addShutdownHook(demo.shutdownHook);
    try {
      demo.initAndStart(password);
      return demo;
    } catch (IOException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  private void initAndStart(String password) throws IOException {
    ServerPrograms.handOver(base);
    Files.createDirectories(socketDir());
    ServerPrograms.handOver(socketDir());
    cluster.initdb(password, NO_HEARTBEAT);
    running = true;
    cluster.start(logFile(), "-p " + port + " -k " + socketDir() + " -c listen_addresses=127.0.0.1 -c fsync=off",
        NO_HEARTBEAT);
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Path dataDir() {
    return cluster.data();
  }

  public Path logFile() {
    return base.resolve("server.log");
  }

  private Path socketDir() {
    return base.resolve("run");
  }

  /** What the user should know about where the cluster lives, or null when it is simply under the demo folder. */
  public String note() {
    return movedBecause == null ? null
        : "the cluster is in " + base + " because " + movedBecause + "; it is deleted when the demo ends";
  }

  /** pg_ctl stop -m fast; the files stay for the user to inspect, unless they are ours under /tmp. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
    if (movedBecause != null) {
      try {
        LocalCluster.deleteTree(base);
      } catch (RuntimeException e) {
        // a leftover folder under /tmp is not worth failing the demo for
      }
    }
  }

  private synchronized void stopQuietly() {
    if (running) {
      running = false;
      stop(cluster);
    }
  }

  /** A cluster an interrupted earlier demo left running in the same folder would hold its files open. */
  private static void stopLeftover(Path base) {
    if (Files.exists(base.resolve("data/postmaster.pid"))) {
      stop(new LocalCluster(base.resolve("data"), ErrorCode.UNEXPECTED_ERROR));
    }
  }

  private static void stop(LocalCluster cluster) {
    if (!cluster.stop("fast", NO_HEARTBEAT).ok()) {
      cluster.stop("immediate", NO_HEARTBEAT);
    }
  }

  /** Whether "postgres" can write {@code dir}, which needs every parent to be traversable by it. */
  private static boolean reachableByPostgres(Path dir) throws IOException {
    ServerPrograms.handOver(dir);
    ProcessBuilder test = new ProcessBuilder("runuser", "-u", ServerPrograms.OS_USER, "--", "test", "-w",
        dir.toString(), "-a", "-x", dir.toString()).directory(Path.of("/").toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = test.start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
