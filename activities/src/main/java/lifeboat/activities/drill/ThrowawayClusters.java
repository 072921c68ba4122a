package lifeboat.activities.drill;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * Throwaway clusters: a fresh {@code initdb} on this worker, listening on 127.0.0.1 only, on a free port, with
 * no Unix socket (so the data directory's path length never matters). Superuser {@code postgres}, trusted
 * from this machine only: nothing outside the worker's host can reach it, and it lives for one drill.
 *
 * <p>Creation is idempotent: a retry after a killed worker finds the data directory; if its server runs, it is
 * reused (the port is read back from postmaster.pid), otherwise whatever is there is half made and is redone.
 */
final class ThrowawayClusters {
  /** Line 4 of postmaster.pid is the port (PostgreSQL's documented layout, stable since 9.1). */
  private static final int PID_FILE_PORT_LINE = 3;
  private static final String HBA = """
      # lifeboat drill cluster: this machine only, for one drill
      local all all trust
      host  all all 127.0.0.1/32 trust
      """;

  private final DrillPlaces places;

  ThrowawayClusters(DrillPlaces places) {
    this.places = places;
  }

  /** Creates (or finds) the cluster and its database; returns the URL to restore into. */
  String create(ThrowawayTarget t, Runnable heartbeat) {
    Path data = Path.of(t.dir());
    int port;
    if (isRunning(data, heartbeat)) {
      port = runningPort(data);
    } else {
      deleteTree(data);
      port = freePort();
      initdb(data, port, heartbeat);
      start(data, heartbeat);
    }
    String maintenance = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    ThrowawayDatabases.recreate(maintenance, null, t.name());
    return "postgresql://postgres@127.0.0.1:" + port + "/" + t.name();
  }

  /** Stops the server (immediate: it holds only a copy) and deletes the data directory. */
  String teardown(ThrowawayTarget t) {
    Path data = Path.of(t.dir());
    if (!Files.exists(data)) {
      return "nothing to remove: no cluster at " + data;
    }
    boolean wasRunning = isRunning(data, () -> { });
    if (wasRunning) {
      ServerCommands.Outcome stop =
          ServerCommands.run(List.of("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"), () -> { });
      if (!stop.ok() && isRunning(data, () -> { })) {
        throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED,
            "cannot stop the drill cluster at " + data + ": " + stop.summary(),
            "retried; if it persists, stop it by hand with pg_ctl -D " + data + " stop -m immediate");
      }
    }
    deleteTree(data);
    return (wasRunning ? "stopped and deleted" : "deleted") + " cluster at " + data;
  }

  private void initdb(Path data, int port, Runnable heartbeat) {
    try {
      Path folder = Files.createDirectories(places.folder());
      // the postgres OS user (root workers) must traverse it to reach the data directory
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ServerCommands.handOver(data);
    } catch (IOException e) {
      throw failed("cannot make the data directory " + data + ": " + e.getMessage(),
          "check that java.io.tmpdir (" + places.folder().getParent() + ") is writable and has free space");
    }
    ServerCommands.Outcome init = ServerCommands.run(List.of("initdb", "-D", data.toString(), "-U", "postgres",
        "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), heartbeat);
    if (!init.ok()) {
      throw failed("initdb failed: " + init.summary(),
          "check free space in " + places.folder() + " and that the postgres OS user can reach it");
    }
    String settings = "\n# lifeboat drill cluster\nport = " + port + "\nlisten_addresses = '127.0.0.1'\n"
        + "unix_socket_directories = ''\n";
    try {
      // appending and rewriting keep the files' owner: the server (run as postgres) still reads them
      Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      Files.writeString(data.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw failed("cannot configure the drill cluster in " + data + ": " + e.getMessage(), "retried");
    }
  }

  private static void start(Path data, Runnable heartbeat) {
    Path log = data.resolve("server.log");
    ServerCommands.Outcome start = ServerCommands.run(List.of("pg_ctl", "-D", data.toString(), "-l", log.toString(),
        "-w", "-t", "120", "start"), heartbeat);
    if (!start.ok()) {
      throw failed("the drill cluster did not start: " + start.summary() + logTail(log),
          "retried on a new port; if it persists, read the server log line above");
    }
  }

  /** pg_ctl status: 0 running, 3 not running, 4 no usable data directory. */
  private static boolean isRunning(Path data, Runnable heartbeat) {
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      return false;
    }
    return ServerCommands.run(List.of("pg_ctl", "-D", data.toString(), "status"), heartbeat).ok();
  }

  private static int runningPort(Path data) {
    try {
      List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
      return Integer.parseInt(lines.get(PID_FILE_PORT_LINE).trim());
    } catch (IOException | RuntimeException e) {
      throw failed("cannot read the running drill cluster's port from " + data.resolve("postmaster.pid"),
          "retried");
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw failed("no free port on 127.0.0.1: " + e.getMessage(), "retried");
    }
  }

  private static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.isEmpty() ? "" : "; server log: " + String.join(" | ",
          lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw failed("cannot delete " + dir + ": " + e.getMessage(), "retried; check the worker's permissions on it");
    }
  }

  private static LifeboatException failed(String message, String hint) {
    return new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, message, hint);
  }
}
