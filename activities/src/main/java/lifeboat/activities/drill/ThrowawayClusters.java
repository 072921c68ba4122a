package lifeboat.activities.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.postgres.ServerPrograms;
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
    LocalCluster cluster = cluster(t);
    int port;
    if (cluster.isRunning(heartbeat)) {
      port = cluster.runningPort();
    } else {
      deleteTree(cluster.data());
      port = freePort();
      initdb(cluster, port, heartbeat);
      Path log = cluster.data().resolve("server.log");
      try {
        cluster.start(log, null, heartbeat);
      } catch (LifeboatException e) {
        throw failed(e.getMessage(), "retried on a new port; if it persists, read the server log line above");
      }
    }
    String maintenance = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    ThrowawayDatabases.recreate(maintenance, null, t.name());
    return "postgresql://postgres@127.0.0.1:" + port + "/" + t.name();
  }

  /** Stops the server (immediate: it holds only a copy) and deletes the data directory. */
  String teardown(ThrowawayTarget t) {
    LocalCluster cluster = cluster(t);
    Path data = cluster.data();
    if (!Files.exists(data)) {
      return "nothing to remove: no cluster at " + data;
    }
    boolean wasRunning = cluster.isRunning(() -> { });
    if (wasRunning) {
      ServerPrograms.Outcome stop = cluster.stop("immediate", () -> { });
      if (!stop.ok() && cluster.isRunning(() -> { })) {
        throw failed("cannot stop the drill cluster at " + data + ": " + stop.summary(),
            "retried; if it persists, stop it by hand with pg_ctl -D " + data + " stop -m immediate");
      }
    }
    deleteTree(data);
    return (wasRunning ? "stopped and deleted" : "deleted") + " cluster at " + data;
  }

  private static LocalCluster cluster(ThrowawayTarget t) {
    return new LocalCluster(Path.of(t.dir()), ErrorCode.DRILL_TARGET_FAILED);
  }

  /** initdb of a cluster trusted from this machine only, on {@code port}, with no Unix socket. */
  private void initdb(LocalCluster cluster, int port, Runnable heartbeat) {
    try {
      Path folder = Files.createDirectories(places.folder());
      // the postgres OS user (root workers) must traverse it to reach the data directory
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw failed("cannot make the folder " + places.folder() + ": " + e.getMessage(),
          "check that java.io.tmpdir (" + places.folder().getParent() + ") is writable and has free space");
    }
    cluster.initdb(null, heartbeat);
    cluster.appendSettings("# lifeboat drill cluster\nport = " + port + "\nlisten_addresses = '127.0.0.1'\n"
        + "unix_socket_directories = ''");
    cluster.writeHba(HBA);
  }

  private static int freePort() {
    try {
      return LocalCluster.freePort();
    } catch (UncheckedIOException e) {
      throw failed(e.getMessage(), "retried");
    }
  }

  static void deleteTree(Path dir) {
    try {
      LocalCluster.deleteTree(dir);
    } catch (UncheckedIOException e) {
      throw failed(e.getMessage(), "retried; check the worker's permissions on it");
    }
  }

  private static LifeboatException failed(String message, String hint) {
    return new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, message, hint);
  }
}
