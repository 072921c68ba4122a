package lifeboat.activities.drill;

import lifeboat.activities.postgres.ServerPrograms;
import lifeboat.activities.support.HostQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.engine.MariaDbUrls;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.mariadb.LocalMariaDb;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.RestoreSpec;

/**
 * Plans, creates and removes a drill's throwaway target, whatever its kind: a cluster on this worker, a
 * database on a drill server, or a SQLite file. Every create and teardown passes the {@link DrillPlaces}
 * guard first.
 */
final class ThrowawayTargets {
  /** SQLite's and DuckDB's companions of a database file: removed with it. */
  private static final List<String> SIDE_FILES = List.of("-wal", "-shm", "-journal", ".wal");

  private final DrillPlaces places;
  private final ThrowawayClusters clusters;
  private final ThrowawayMariaDbs mariaDbs;

  ThrowawayTargets(DrillPlaces places) {
    this.places = places;
    this.clusters = new ThrowawayClusters(places);
    this.mariaDbs = new ThrowawayMariaDbs(places);
  }

  ThrowawayTarget plan(Config cfg, String database, RestoreSpec spec, String drillId) {
    String engine = cfg.database(database).engine();
    String name = DrillPlaces.name(drillId);
    if (engine.equals("sqlite") || engine.equals("duckdb")) {
      return new ThrowawayTarget(drillId, database, engine, ThrowawayTarget.FILE, name,
          places.place(name, ThrowawayTarget.FILE).toString(), null, null, null, HostQueue.name());
    }
    RestoreSpec s = (spec == null ? RestoreSpec.DEFAULT : spec).withDefaults();
    boolean mariadb = engine.equals("mariadb");
    if (RestoreSpec.TARGET_CLUSTER.equals(s.target())) {
      if (mariadb) {
        LocalMariaDb.binary("mariadbd"); // a worker without it refuses here, before anything is made
        LocalMariaDb.binary("mariadb-install-db");
      } else {
        ServerPrograms.requireAvailable();
      }
      return new ThrowawayTarget(drillId, database, engine, ThrowawayTarget.CLUSTER, name,
          places.place(name, ThrowawayTarget.CLUSTER).toString(), null, null, null, HostQueue.name());
    }
    if (RestoreSpec.TARGET_SERVER.equals(s.target())) {
      requireServer(s, mariadb);
      return new ThrowawayTarget(drillId, database, engine, ThrowawayTarget.SERVER, name, null, s.server(),
          s.serverPassword(), null, null);
    }
    throw invalid("restore.target '" + s.target() + "' is not a drill target for a " + engine + " database",
        "use restore.target: cluster (a fresh " + (mariadb ? "mariadbd" : "initdb cluster") + " on the worker) or "
            + "server (with restore.server)");
  }

  /**
   * @param ledger the database's repository, where {@link DrillTargetLedger} records the target
   * @param workflowId the drill workflow that owns it, and its namespace: recorded with it (null outside one)
   */
  ThrowawayTarget create(Config cfg, Repository ledger, ThrowawayTarget t, Runnable heartbeat, String workflowId,
      String namespace) {
    places.requireDrillMade(t);
    // Recorded before it exists: a teardown that fails later leaves an entry `lifeboat check` finds, and a
    // drill whose workflow is gone leaves one a starting worker removes.
    DrillTargetLedger.opened(ledger, t, workflowId, namespace);
    return switch (t.kind()) {
      case ThrowawayTarget.CLUSTER -> t.created(mariadb(t) ? mariaDbs.create(t, heartbeat)
          : clusters.create(t, heartbeat));
      case ThrowawayTarget.SERVER -> {
        if (mariadb(t)) {
          MariaDbDrillDatabases.recreate(t.serverUrl(), password(cfg, t), t.name());
        } else {
          ThrowawayDatabases.recreate(t.serverUrl(), password(cfg, t), t.name());
        }
        yield t.created(withDatabase(t.serverUrl(), t.name()));
      }
      case ThrowawayTarget.FILE -> {
        removeFile(Path.of(t.dir()));
        createFolder();
        yield t.created(t.dir());
      }
      default -> throw unknownKind(t);
    };
  }

  /** Removes the target, then its ledger entry: only a teardown that succeeded clears it. */
  String teardown(Config cfg, Repository ledger, ThrowawayTarget t) {
    places.requireDrillMade(t);
    String removed = remove(cfg, t);
    DrillTargetLedger.closed(ledger, t);
    return removed;
  }

  private String remove(Config cfg, ThrowawayTarget t) {
    return switch (t.kind()) {
      case ThrowawayTarget.CLUSTER -> mariadb(t) ? mariaDbs.teardown(t) : clusters.teardown(t);
      case ThrowawayTarget.SERVER -> dropDatabase(cfg, t)
          ? "dropped database " + t.name() + " on " + withDatabase(t.serverUrl(), t.name())
          : "nothing to remove: no database " + t.name() + " on " + t.serverUrl();
      case ThrowawayTarget.FILE -> removeFile(Path.of(t.dir()))
          ? "deleted " + t.dir()
          : "nothing to remove: no file " + t.dir();
      default -> throw unknownKind(t);
    };
  }

  private static boolean mariadb(ThrowawayTarget t) {
    return "mariadb".equals(t.engine());
  }

  private static boolean dropDatabase(Config cfg, ThrowawayTarget t) {
    return mariadb(t) ? MariaDbDrillDatabases.drop(t.serverUrl(), password(cfg, t), t.name())
        : ThrowawayDatabases.drop(t.serverUrl(), password(cfg, t), t.name());
  }

  private static void requireServer(RestoreSpec s, boolean mariadb) {
    String hint = "set restore.server to a maintenance database the drill may create databases from, e.g. "
        + (mariadb ? "mariadb://lifeboat@drill-db:3306/mysql" : "postgresql://lifeboat@drill-db:5432/postgres")
        + ", and restore.serverPassword to env:NAME or file:PATH";
    if (s.server() == null || s.server().isBlank()) {
      throw invalid("restore.target: server needs restore.server", hint);
    }
    if (mariadb ? !ConnectionStrings.isMariaDbUrl(s.server()) : !ConnectionStrings.isPostgresUrl(s.server())) {
      throw invalid("restore.server is not a " + (mariadb ? "mariadb://" : "postgresql://") + " URL", hint);
    }
    if (ConnectionStrings.containsPassword(s.server())) {
      throw invalid("restore.server must not contain a password", hint);
    }
    // a malformed URL fails here (BAD_URL), before anything is created
    if (mariadb) {
      MariaDbUrls.parse(s.server());
    } else {
      PgUrls.parse(s.server());
    }
    if (s.serverPassword() != null && !Secrets.isReference(s.serverPassword())) {
      throw invalid("restore.serverPassword holds a literal value; secrets must be references", hint);
    }
  }

  /** The server URL pointed at another database: everything up to the path kept, query kept. */
  static String withDatabase(String serverUrl, String database) {
    int authority = serverUrl.indexOf("://") + 3;
    int end = serverUrl.length();
    for (char c : new char[] {'/', '?'}) {
      int at = serverUrl.indexOf(c, authority);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    int query = serverUrl.indexOf('?', authority);
    return serverUrl.substring(0, end) + "/" + database + (query >= 0 ? serverUrl.substring(query) : "");
  }

  private static String password(Config cfg, ThrowawayTarget t) {
    return cfg.secrets().resolve(t.passwordRef(), "restore.serverPassword");
  }

  private void createFolder() {
    try {
      Files.createDirectories(places.folder());
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, "cannot create " + places.folder() + ": "
          + e.getMessage(), "check that java.io.tmpdir is writable");
    }
  }

  private static boolean removeFile(Path file) {
    List<Path> all = new ArrayList<>(List.of(file));
    SIDE_FILES.forEach(suffix -> all.add(Path.of(file + suffix)));
    boolean removed = false;
    try {
      for (Path p : all) {
        removed |= Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, "cannot delete " + file + ": " + e.getMessage(),
          "retried; check the worker's permissions on it");
    }
    return removed;
  }

  private static LifeboatException unknownKind(ThrowawayTarget t) {
    return invalid("unknown throwaway target kind '" + t.kind() + "'", "plan the target with PlanThrowawayTarget");
  }

  private static LifeboatException invalid(String message, String hint) {
    return new LifeboatException(ErrorCode.DRILL_TARGET_INVALID, message, hint);
  }
}
