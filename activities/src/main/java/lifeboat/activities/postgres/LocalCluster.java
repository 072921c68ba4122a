package lifeboat.activities.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * One PostgreSQL cluster on this machine, made and run with the server's own programs: initdb, pg_ctl start,
 * status and stop, on 127.0.0.1. The one implementation behind a drill's throwaway cluster, the demo's
 * database and the tests' clusters. As root, every program runs as the {@code postgres} OS user
 * ({@link ServerPrograms}), which then owns the data directory.
 *
 * <p>Failures are {@link LifeboatException}s with the code the owner gives (a drill's is DRILL_TARGET_FAILED)
 * and the program's own error output.
 */
public final class LocalCluster {
  /** Line 1 of postmaster.pid is the postmaster's pid, line 4 its port (documented layout, stable since 9.1). */
  private static final int PID_FILE_PORT_LINE = 3;

  private final Path data;
  private final ErrorCode failure;

  public LocalCluster(Path data, ErrorCode failure) {
    this.data = data;
    this.failure = failure;
  }

  public Path data() {
    return data;
  }

  /**
   * Makes the data directory (mode 0700; its parent must exist and be reachable by the server's OS user) and
   * runs initdb. Superuser {@code postgres}: with a password, scram-sha-256 over TCP and trust over the Unix
   * socket; without one, trust everywhere initdb allows (narrow it with {@link #writeHba}).
   */
  public void initdb(String password, Runnable heartbeat) {
    Path pwfile = data.resolveSibling(data.getFileName() + ".pwfile");
    try {
      Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ServerPrograms.handOver(data);
      List<String> args = new ArrayList<>(List.of("initdb", "-D", data.toString(), "-U", "postgres",
          "-E", "UTF8", "--locale=C", "--no-sync"));
      if (password == null) {
        args.addAll(List.of("-A", "trust"));
      } else {
        // initdb reads it from a file the server's OS user can read; the file is gone once initdb is done
        Files.writeString(pwfile, password + "\n");
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        ServerPrograms.handOver(pwfile);
        args.addAll(List.of("--pwfile=" + pwfile, "-A", "scram-sha-256", "--auth-local=trust"));
      }
      ServerPrograms.Outcome init = ServerPrograms.run(args, heartbeat);
      if (!init.ok()) {
        throw failed("initdb failed: " + init.summary(),
            "check free space in " + data.getParent() + " and that the postgres OS user can reach it");
      }
    } catch (IOException e) {
      throw failed("cannot make the data directory " + data + ": " + e.getMessage(),
          "check that " + data.getParent() + " is writable and has free space");
    } finally {
      try {
        Files.deleteIfExists(pwfile);
      } catch (IOException e) {
        // in the cluster's own folder, removed with it
      }
    }
  }

  /** Appends settings to postgresql.conf (a later line wins). Appending keeps the file's owner. */
  public void appendSettings(String lines) {
    write("postgresql.conf", "\n" + lines + "\n", StandardOpenOption.APPEND);
  }

  /** Appends settings to postgresql.auto.conf, which PostgreSQL reads last: they win over postgresql.conf. */
  public void appendAutoSettings(String lines) {
    write("postgresql.auto.conf", "\n" + lines + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Replaces pg_hba.conf. */
  public void writeHba(String text) {
    write("pg_hba.conf", text, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private void write(String file, String text, StandardOpenOption... mode) {
    try {
      Files.writeString(data.resolve(file), text, StandardCharsets.UTF_8, mode);
    } catch (IOException e) {
      throw failed("cannot write " + file + " in " + data + ": " + e.getMessage(), "retried");
    }
  }

  /**
   * pg_ctl start, waiting up to two minutes for the server to accept connections; {@code options} go to the
   * postmaster (-c name=value, -p, -k), after postgresql.conf.
   */
  public void start(Path log, String options, Runnable heartbeat) {
    List<String> args = new ArrayList<>(List.of("pg_ctl", "-D", data.toString(), "-l", log.toString()));
    if (options != null && !options.isBlank()) {
      args.addAll(List.of("-o", options));
    }
    args.addAll(List.of("-w", "-t", "120", "start"));
    ServerPrograms.Outcome start = ServerPrograms.run(args, heartbeat);
    if (!start.ok()) {
      throw failed("the cluster in " + data + " did not start: " + start.summary() + logTail(log, 5),
          "read the server log line above");
    }
  }

  /**
   * pg_ctl start without waiting: for a server that recovers for as long as its WAL takes, whose caller polls
   * it ({@link #isRunning}) rather than pg_ctl's fixed wait.
   */
  public void startInBackground(Path log, Runnable heartbeat) {
    ServerPrograms.Outcome start = ServerPrograms.run(List.of("pg_ctl", "-D", data.toString(), "-l", log.toString(),
        "-W", "start"), heartbeat);
    if (!start.ok()) {
      throw failed("the cluster in " + data + " did not start: " + start.summary() + logTail(log, 5),
          "read the server log line above");
    }
  }

  /** pg_ctl status: a postmaster runs on this data directory. */
  public boolean isRunning(Runnable heartbeat) {
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      return false;
    }
    return ServerPrograms.run(List.of("pg_ctl", "-D", data.toString(), "status"), heartbeat).ok();
  }

  /** pg_ctl stop in {@code mode} (smart, fast or immediate), waiting for it; the outcome says whether it did. */
  public ServerPrograms.Outcome stop(String mode, Runnable heartbeat) {
    return ServerPrograms.run(List.of("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "stop"), heartbeat);
  }

  /** A program of the server's (pg_basebackup, pg_rewind) run as the server's OS user, with more environment. */
  public ServerPrograms.Outcome runProgram(List<String> args, Map<String, String> env, Runnable heartbeat) {
    return ServerPrograms.run(args, env, heartbeat);
  }

  /** The port of the running postmaster, from postmaster.pid. */
  public int runningPort() {
    return Integer.parseInt(pidFileLine(PID_FILE_PORT_LINE));
  }

  /** The running postmaster's pid, from postmaster.pid. */
  public long postmasterPid() {
    return Long.parseLong(pidFileLine(0));
  }

  private String pidFileLine(int index) {
    Path pidFile = data.resolve("postmaster.pid");
    try {
      return Files.readAllLines(pidFile).get(index).trim();
    } catch (IOException | RuntimeException e) {
      throw failed("cannot read " + pidFile + ": " + e.getMessage(), "is the server running?");
    }
  }

  /** The last {@code lines} lines of the server log, as "; server log: a | b", or "" when there is none. */
  public static String logTail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return all.isEmpty() ? "" : "; server log: " + String.join(" | ",
          all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** A port nobody listens on right now on 127.0.0.1 (the server binds it moments later). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Deletes {@code dir} and everything under it; nothing when it is not there. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private LifeboatException failed(String message, String hint) {
    return new LifeboatException(failure, message, hint);
  }
}
