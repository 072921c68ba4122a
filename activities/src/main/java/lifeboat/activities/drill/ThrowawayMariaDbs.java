package lifeboat.activities.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.mariadb.LocalMariaDb;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * A MariaDB drill's {@code target: cluster}: a throwaway {@code mariadbd} of its own in the drill folder, on a
 * free 127.0.0.1 port, root without a password (as a drill cluster's trust: nothing outside this host reaches it),
 * binary log off, durability off (it holds a copy for one drill).
 *
 * <p>Creation is idempotent as {@link ThrowawayClusters}': a retry after a killed worker finds the folder; if its
 * server runs it is reused (the port read back), otherwise whatever is there is half made and is redone.
 */
final class ThrowawayMariaDbs {
  /** Small InnoDB files: about two seconds to install and start, instead of allocating a 96 MB redo log. */
  private static final List<String> INSTALL_OPTIONS = List.of("--innodb-log-file-size=16M");
  private static final List<String> SERVER_OPTIONS = List.of("--skip-log-bin", "--innodb-flush-log-at-trx-commit=0",
      "--innodb-buffer-pool-size=128M");

  private final DrillPlaces places;

  ThrowawayMariaDbs(DrillPlaces places) {
    this.places = places;
  }

  /** Creates (or finds) the server and its database; returns the URL to restore into. */
  String create(ThrowawayTarget t, Runnable heartbeat) {
    LocalMariaDb server = server(t);
    int port;
    if (server.running().isPresent()) {
      port = server.port();
    } else {
      deleteTree(server);
      try {
        Files.createDirectories(places.folder());
      } catch (IOException e) {
        throw failed("cannot make the folder " + places.folder() + ": " + e.getMessage(),
            "check that java.io.tmpdir is writable and has free space");
      }
      port = freePort();
      server.install(heartbeat);
      server.start(port, SERVER_OPTIONS, heartbeat);
    }
    String maintenance = "mariadb://root@127.0.0.1:" + port + "/mysql";
    MariaDbDrillDatabases.recreate(maintenance, null, t.name());
    return "mariadb://root@127.0.0.1:" + port + "/" + t.name();
  }

  /** Stops the server (SIGTERM; SIGKILL when slow: it holds only a copy) and deletes its folder. */
  String teardown(ThrowawayTarget t) {
    LocalMariaDb server = server(t);
    if (!Files.exists(server.dir())) {
      return "nothing to remove: no MariaDB server at " + server.dir();
    }
    boolean wasRunning = server.stop();
    deleteTree(server);
    return (wasRunning ? "stopped and deleted" : "deleted") + " MariaDB server at " + server.dir();
  }

  private static LocalMariaDb server(ThrowawayTarget t) {
    return new LocalMariaDb(Path.of(t.dir()), ErrorCode.DRILL_TARGET_FAILED, INSTALL_OPTIONS);
  }

  private static void deleteTree(LocalMariaDb server) {
    try {
      server.delete();
    } catch (UncheckedIOException e) {
      throw failed(e.getMessage(), "retried; check the worker's permissions on it");
    }
  }

  private static int freePort() {
    try {
      return LocalCluster.freePort();
    } catch (UncheckedIOException e) {
      throw failed(e.getMessage(), "retried");
    }
  }

  private static LifeboatException failed(String message, String hint) {
    return new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, message, hint);
  }
}
