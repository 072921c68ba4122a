package lifeboat.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's throwaway PostgreSQL cluster: initdb, pg_ctl start on a free 127.0.0.1 port, pg_ctl stop. The cli
 * module may not use the activities module (nor its test fixture PgCluster), so this is its own small copy of
 * the process handling, with the demo's rules: the files stay in the demo folder for the user to look at,
 * unless they had to go to /tmp.
 */
final class LocalCluster implements AutoCloseable {
  /** Server programs the demo needs; the client ones (pg_dump, pg_restore) are what the worker runs. */
  static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "pg_dump", "pg_restore");
  private static final String BINDIR_ENV = "LIFEBOAT_PG_BINDIR";
  private static final String OS_USER = "postgres";
  /** sun_path is 108 bytes on Linux; the server's socket is DIR/.s.PGSQL.PORT. */
  private static final int MAX_SOCKET_DIR = 90;

  /** Why the PostgreSQL part cannot run here; the demo prints it and goes on without PostgreSQL. */
  static final class Unavailable extends Exception {
    Unavailable(String reason) {
      super(reason);
    }
  }

  private final Path bindir;
  private final boolean asPostgres;
  private final Path base;
  /** Why the cluster is in a folder of its own under /tmp (deleted on close), or null when under the demo's. */
  private final String movedBecause;
  private final int port;
  /** Ctrl-C during the demo still stops the server (and removes a /tmp cluster). */
  private final Thread shutdownHook = new Thread(this::close, "lifeboat-demo-pg-stop");
  private boolean running;

  private LocalCluster(Path bindir, boolean asPostgres, Path base, String movedBecause, int port) {
    this.bindir = bindir;
    this.asPostgres = asPostgres;
    this.base = base;
    this.movedBecause = movedBecause;
    this.port = port;
  }

  /**
   * Where the server programs are: $LIFEBOAT_PG_BINDIR, else {@code pg_config --bindir} (Debian keeps them in
   * /usr/lib/postgresql/NN/bin, off the PATH).
   */
  static Path bindir() throws Unavailable {
    String env = System.getenv(BINDIR_ENV);
    String dir = env != null && !env.isBlank() ? env : null;
    if (dir == null) {
      Result r = run(List.of("pg_config", "--bindir"), false);
      if (r == null || r.code != 0 || r.output.isBlank()) {
        throw new Unavailable("no PostgreSQL server binaries found (pg_config is not on the PATH; install"
            + " the PostgreSQL server, or set " + BINDIR_ENV + " to the directory holding initdb)");
      }
      dir = r.output.strip();
    }
    List<String> missing = new ArrayList<>();
    for (String program : PROGRAMS) {
      if (!Files.isExecutable(Path.of(dir, program))) {
        missing.add(program);
      }
    }
    if (!missing.isEmpty()) {
      throw new Unavailable(String.join(", ", missing) + " not found in " + dir
          + " (install the PostgreSQL server, or set " + BINDIR_ENV + ")");
    }
    return Path.of(dir);
  }

  /**
   * A fresh cluster under {@code preferred} (deleted first if an earlier demo left one), superuser "postgres"
   * with {@code password} over TCP, trusted over the Unix socket only. initdb refuses to run as root, so as
   * root the cluster belongs to the "postgres" OS user; when that user cannot reach {@code preferred} (a 0700
   * parent), or its path is too long for a Unix socket, the cluster goes to a fresh /tmp folder instead and
   * {@link #note()} says so.
   */
  static LocalCluster start(Path bindir, Path preferred, String password) throws Unavailable, IOException {
    boolean root = isRoot();
    if (root && run(List.of("id", "-u", OS_USER), false).code != 0) {
      throw new Unavailable("running as root, and initdb refuses root, but there is no \"postgres\" OS user"
          + " to run the server as (create one, or run the demo as an ordinary user)");
    }
    stopLeftover(bindir, root, preferred);
    deleteTree(preferred);
    Path base = Files.createDirectories(preferred);
    String movedBecause = null;
    if (base.resolve("run").toAbsolutePath().toString().length() > MAX_SOCKET_DIR) {
      movedBecause = "the demo folder's path is too long for a Unix socket";
    } else if (root && !reachableByPostgres(base)) {
      movedBecause = "the \"postgres\" OS user the server runs as cannot reach the demo folder";
    }
    if (movedBecause != null) {
      deleteTree(base);
      base = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-demo-pg-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      if (root) {
        handOver(base);
      }
    }
    LocalCluster cluster = new LocalCluster(bindir, root, base, movedBecause, freePort());
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.initAndStart(password);
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void initAndStart(String password) throws IOException {
    // initdb reads the password from a file the server's OS user can read; it is gone once initdb is done
    Path pwfile = base.resolve("pwfile");
    Files.writeString(pwfile, password + "\n");
    Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(socketDir());
    if (asPostgres) {
      handOver(base);
    }
    try {
      pg(List.of(tool("initdb"), "-D", dataDir().toString(), "-U", "postgres", "--pwfile=" + pwfile,
          "-A", "scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
    } finally {
      Files.deleteIfExists(pwfile);
    }
    String opts = "-p " + port + " -k " + socketDir() + " -c listen_addresses=127.0.0.1 -c fsync=off";
    running = true;
    pg(List.of(tool("pg_ctl"), "-D", dataDir().toString(), "-o", opts, "-l", logFile().toString(),
        "-w", "-t", "60", "start"));
  }

  int port() {
    return port;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  Path dataDir() {
    return base.resolve("data");
  }

  Path logFile() {
    return base.resolve("server.log");
  }

  private Path socketDir() {
    return base.resolve("run");
  }

  /** What the user should know about where the cluster lives, or null when it is simply under the demo folder. */
  String note() {
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
        deleteTree(base);
      } catch (IOException e) {
        // a leftover folder under /tmp is not worth failing the demo for
      }
    }
  }

  private synchronized void stopQuietly() {
    if (running) {
      running = false;
      stop(bindir, asPostgres, dataDir());
    }
  }

  /** A cluster an interrupted earlier demo left running in the same folder would hold its files open. */
  private static void stopLeftover(Path bindir, boolean root, Path base) {
    if (Files.exists(base.resolve("data/postmaster.pid"))) {
      stop(bindir, root, base.resolve("data"));
    }
  }

  private static void stop(Path bindir, boolean asPostgres, Path data) {
    Result r = run(withUser(asPostgres,
        List.of(bindir.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop")), true);
    if (r == null || r.code != 0) {
      run(withUser(asPostgres, List.of(bindir.resolve("pg_ctl").toString(), "-D", data.toString(),
          "-m", "immediate", "-w", "stop")), true);
    }
  }

  private String tool(String name) {
    return bindir.resolve(name).toString();
  }

  /** Runs a server program, as the "postgres" OS user when we are root; fails with its output. */
  private void pg(List<String> cmd) {
    Result r = run(withUser(asPostgres, cmd), false);
    if (r == null || r.code != 0) {
      throw new IllegalStateException(Path.of(cmd.get(0)).getFileName() + " failed"
          + (r == null ? "" : " (exit " + r.code + "): " + r.output.strip())
          + (Files.exists(logFile()) ? "; server log: " + logFile() : ""));
    }
  }

  private static List<String> withUser(boolean asPostgres, List<String> cmd) {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(cmd);
    return full;
  }

  private static boolean isRoot() {
    Result r = run(List.of("id", "-u"), false);
    return r != null && r.code == 0 && r.output.strip().equals("0");
  }

  /** Whether "postgres" can write {@code dir}, which needs every parent to be traversable by it. */
  private static boolean reachableByPostgres(Path dir) throws IOException {
    handOver(dir);
    Result r = run(List.of("runuser", "-u", OS_USER, "--", "test", "-w", dir.toString(), "-a", "-x",
        dir.toString()), false);
    return r != null && r.code == 0;
  }

  /** chown -R postgres: so the server (run as postgres) owns its files. */
  private static void handOver(Path dir) throws IOException {
    Result r = run(List.of("chown", "-R", OS_USER + ":", dir.toString()), false);
    if (r == null || r.code != 0) {
      throw new IOException("chown -R postgres: " + dir + " failed" + (r == null ? "" : ": " + r.output.strip()));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private record Result(int code, String output) {}

  /** Runs a command from / (the postgres user may not be able to enter our cwd); null if it cannot start. */
  private static Result run(List<String> cmd, boolean quiet) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("/").toFile());
    try {
      Process p = pb.start();
      String output;
      try (InputStream in = p.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", cmd));
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      return quiet ? null : new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
