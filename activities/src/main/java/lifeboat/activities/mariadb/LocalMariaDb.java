package lifeboat.activities.mariadb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * A MariaDB server of this host's own, in one folder: {@code mariadb-install-db} into {@code data/}, then
 * {@code mariadbd} on 127.0.0.1 only, its pid, port and error log beside the data. Started as a child that
 * outlives the worker (a worker killed mid-drill leaves it running, and the retry finds it by its pid file).
 * Its root accounts have no password: like a drill cluster's trust, nothing outside this host reaches it.
 *
 * <p>The socket lives in the folder when the path fits a Unix socket's 107 bytes, otherwise under /tmp, named by
 * the folder's hash; {@link #delete} removes it either way.
 */
public final class LocalMariaDb {
  static final String INSTALL_HINT = "install Debian's mariadb-server (apt-get install mariadb-server mariadb-client)";
  private static final int SOCKET_PATH_MAX = 100;
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path dir;
  private final ErrorCode failure;
  private final List<String> options;

  /**
   * @param dir     the folder that holds everything of this server
   * @param failure the code its failures carry (DRILL_TARGET_FAILED for a drill's server)
   * @param options extra mariadbd options (e.g. small InnoDB files for tests)
   */
  public LocalMariaDb(Path dir, ErrorCode failure, List<String> options) {
    this.dir = dir.toAbsolutePath().normalize();
    this.failure = failure;
    this.options = List.copyOf(options);
  }

  public Path dir() {
    return dir;
  }

  public Path socket() {
    Path inside = dir.resolve("s.sock");
    if (inside.toString().length() <= SOCKET_PATH_MAX) {
      return inside;
    }
    return Path.of("/tmp", "lifeboat-mariadb-" + hash(dir.toString()) + ".sock");
  }

  /** mariadb-install-db into an empty {@code data/}: root accounts without a password, no test database. */
  public void install(Runnable heartbeat) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw failed("cannot make " + dir + ": " + e.getMessage(), "check the worker's permissions on it");
    }
    List<String> cmd = new ArrayList<>(List.of(binary("mariadb-install-db"), "--no-defaults",
        "--auth-root-authentication-method=normal", "--datadir=" + dir.resolve("data"),
        "--user=" + System.getProperty("user.name"), "--skip-test-db"));
    cmd.addAll(options);
    run(cmd, dir.resolve("install.log"), heartbeat);
  }

  /** Starts mariadbd on {@code port} and waits until it answers (at most 60 s); its port is written beside. */
  public void start(int port, List<String> serverOptions, Runnable heartbeat) {
    List<String> cmd = new ArrayList<>(List.of(binary("mariadbd"), "--no-defaults", "--datadir=" + dir.resolve("data"),
        "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket(), "--pid-file=" + pidFile(),
        "--log-error=" + errorLog()));
    cmd.addAll(options);
    cmd.addAll(serverOptions);
    if (ROOT) {
      cmd.add("--user=root"); // mariadbd refuses to run as root unless told so
    }
    Process server;
    try {
      Files.writeString(dir.resolve("port"), Integer.toString(port));
      server = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw failed("cannot start mariadbd: " + e.getMessage(), INSTALL_HINT);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      heartbeat.run();
      if (!server.isAlive()) {
        throw failed("mariadbd exited with " + server.exitValue() + ": " + logTail(), "read the server log above");
      }
      if (Files.exists(pidFile()) && Files.exists(socket())) {
        return;
      }
      sleep(50);
    }
    server.destroyForcibly();
    throw failed("mariadbd did not start within 60 s: " + logTail(), "retried; read the server log above");
  }

  /** The running server's pid, read back from its pid file; empty when none runs. */
  public Optional<ProcessHandle> running() {
    try {
      String pid = Files.readString(pidFile()).trim();
      return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd")).orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The port it was started on (written by {@link #start}). */
  public int port() {
    try {
      return Integer.parseInt(Files.readString(dir.resolve("port")).trim());
    } catch (IOException | NumberFormatException e) {
      throw failed("no port recorded in " + dir + ": " + e.getMessage(), "retried: the server is made again");
    }
  }

  /** SIGTERM, then SIGKILL after 20 s; true when a server was running. */
  public boolean stop() {
    Optional<ProcessHandle> server = running();
    if (server.isEmpty()) {
      return false;
    }
    ProcessHandle p = server.get();
    p.destroy();
    try {
      p.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception slow) {
      p.destroyForcibly();
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw failed("mariadbd " + p.pid() + " in " + dir + " does not stop", "retried; if it persists, kill -9 "
            + p.pid());
      }
    }
    return true;
  }

  /** Stops it if it runs, then deletes its folder and socket. */
  public void delete() {
    stop();
    try {
      Files.deleteIfExists(socket());
    } catch (IOException e) {
      // mariadbd's own; its folder goes below
    }
    lifeboat.activities.postgres.LocalCluster.deleteTree(dir);
  }

  public String logTail() {
    try {
      byte[] all = Files.readAllBytes(errorLog());
      int from = Math.max(0, all.length - 2000);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  private Path pidFile() {
    return dir.resolve("mariadbd.pid");
  }

  private Path errorLog() {
    return dir.resolve("error.log");
  }

  private void run(List<String> cmd, Path log, Runnable heartbeat) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      while (!p.waitFor(1, TimeUnit.SECONDS)) {
        heartbeat.run();
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log);
        throw failed(cmd.get(0) + " failed (" + p.exitValue() + "): " + out.substring(Math.max(0, out.length() - 2000)),
            "retried; read its output above");
      }
    } catch (IOException e) {
      throw failed("cannot run " + cmd.get(0) + ": " + e.getMessage(), INSTALL_HINT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while running " + cmd.get(0), "retried");
    }
  }

  /** The binary's path: on PATH, or in /usr/sbin and /usr/bin where Debian puts them. */
  public static String binary(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return Path.of(d, name).toString();
      }
    }
    throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, name + " not found on this worker", INSTALL_HINT);
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private LifeboatException failed(String message, String hint) {
    return new LifeboatException(failure, message, hint);
  }
}
