package lifeboat.activities.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.mariadb.LocalMariaDb;
import lifeboat.activities.postgres.LocalCluster;

/**
 * A throwaway MariaDB server for tests (Debian's mariadb-server): mariadb-install-db into a temp dir under /tmp,
 * then mariadbd on a free 127.0.0.1 port with its own socket, binary log on (so dumps record a binlog position)
 * and durability off (fast). Every root account gets a random password. {@link #close()} stops the server and
 * deletes its files. Missing binaries fail loudly, naming the packages: a MariaDB test never skips.
 *
 * <pre>try (MariaDbServer m = MariaDbServer.start()) { m.createDatabase("app"); m.url("app"); }</pre>
 */
public final class MariaDbServer implements AutoCloseable {
  static final String PACKAGES = "apt-get install mariadb-server mariadb-client";
  /** Small InnoDB files: install and start take about two seconds instead of allocating a 96 MB redo log. */
  private static final List<String> SERVER_OPTIONS = List.of("--innodb-log-file-size=8M",
      "--innodb-buffer-pool-size=32M");

  private final Path base;
  private final LocalMariaDb server;
  private final Path socket;
  private final int port;
  private final String password;
  private final Thread shutdownHook;

  private MariaDbServer(Path base, int port, String password) {
    this.base = base;
    this.server = new LocalMariaDb(base, ErrorCode.DRILL_TARGET_FAILED, SERVER_OPTIONS);
    this.socket = server.socket();
    this.port = port;
    this.password = password;
    this.shutdownHook = new Thread(this::destroyQuietly, "mariadb-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A fresh server on a free port; its root accounts have a random password. */
  public static MariaDbServer start() {
    binary("mariadb-install-db");
    binary("mariadbd");
    binary("mariadb");
    Path base;
    try {
      base = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maria-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MariaDbServer m = new MariaDbServer(base, LocalCluster.freePort(), "pw-" + UUID.randomUUID());
    try {
      m.server.install(() -> { });
      m.startServer();
      m.setRootPassword();
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The password of every root account (root@localhost, root@127.0.0.1, ...). */
  public String password() {
    return password;
  }

  /** The engine's URL form, without the password: mariadb://root@127.0.0.1:PORT/db. */
  public String url(String db) {
    return "mariadb://root@127.0.0.1:" + port + "/" + db;
  }

  public void createDatabase(String name) {
    exec(null, "CREATE DATABASE `" + name.replace("`", "``") + "`");
  }

  /**
   * Runs SQL as root through the mariadb client over the server's socket (batch mode, no column names); returns
   * its trimmed output, e.g. "3" for a count query. {@code db} null: no default database.
   */
  public String exec(String db, String sql) {
    List<String> cmd = new ArrayList<>(List.of(binary("mariadb"), "--no-defaults", "--socket=" + socket,
        "--user=root", "--batch", "--skip-column-names"));
    if (db != null) {
      cmd.add(db);
    }
    return run(cmd, Map.of("MYSQL_PWD", password), sql).trim();
  }

  /** The tail of the server's error log, for failure messages. */
  public String logTail() {
    return server.logTail();
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

  @Override
  public String toString() {
    return "MariaDB on 127.0.0.1:" + port;
  }

  /** Binary log on, durability off; LocalMariaDb waits for its socket, then this for an answer. */
  private void startServer() {
    server.start(port, List.of("--log-bin=binlog", "--server-id=1", "--innodb-flush-log-at-trx-commit=0",
        "--sync-binlog=0"), () -> { });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (ping()) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("mariadbd did not accept connections within 60 s:\n" + logTail());
  }

  private boolean ping() {
    try {
      run(List.of(binary("mariadb"), "--no-defaults", "--socket=" + socket, "--user=root"), Map.of(), "SELECT 1");
      return true;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  /** mariadb-install-db made root@localhost, root@127.0.0.1, root@::1 and root@HOSTNAME without a password. */
  private void setRootPassword() {
    List<String> base = List.of(binary("mariadb"), "--no-defaults", "--socket=" + socket, "--user=root", "--batch",
        "--skip-column-names");
    String hosts = run(base, Map.of(), "SELECT Host FROM mysql.user WHERE User = 'root'");
    StringBuilder sql = new StringBuilder();
    for (String host : hosts.trim().split("\n")) {
      sql.append("ALTER USER 'root'@'").append(host.trim().replace("'", "''")).append("' IDENTIFIED BY '")
          .append(password).append("';\n");
    }
    run(base, Map.of(), sql.toString());
  }

  private synchronized void destroyQuietly() {
    try {
      server.delete(); // SIGTERM (a clean shutdown), SIGKILL after 20 s; then its folder
    } catch (RuntimeException ignored) {
      // best effort
    }
  }

  /** The binary's path (LocalMariaDb's lookup: PATH, /usr/sbin, /usr/bin); fails naming the packages. */
  static String binary(String name) {
    return LocalMariaDb.binary(name);
  }


  /** Runs a command with {@code stdin} as its input; returns its output, failing with it on a non-zero exit. */
  private static String run(List<String> cmd, Map<String, String> env, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("MYSQL_PWD");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out;
      try (InputStream o = p.getInputStream()) {
        out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
}
