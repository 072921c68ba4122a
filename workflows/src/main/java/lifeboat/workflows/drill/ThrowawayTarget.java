package lifeboat.workflows.drill;

import lifeboat.workflows.model.DbTarget;

/**
 * A database that exists only for one drill. Planned first (names and places, nothing created), so its
 * teardown can be registered before it is created and can find whatever a half-finished creation left.
 *
 * @param drillId        the drill it belongs to
 * @param database       the lifeboat.yaml database whose backup is restored into it
 * @param engine         postgres | sqlite
 * @param kind           cluster (a fresh initdb cluster on the worker), server (a fresh database on a drill
 *                       server), file (a SQLite temp file)
 * @param name           the database's name: lifeboat_drill_&lt;id&gt; (server and cluster)
 * @param dir            cluster: its data directory on the worker; file: the SQLite file
 * @param serverUrl      server: the maintenance database to connect to for CREATE/DROP DATABASE
 * @param passwordRef    server: secret reference for the server's password; cluster: null (local trust)
 * @param url            after creation: the URL (or file path) to restore into; null while only planned
 * @param taskQueue      cluster and file: the host queue of the worker that planned it (TaskQueues.host), where
 *                       every later step on it runs; server: null (any worker reaches a server)
 */
public record ThrowawayTarget(
    String drillId,
    String database,
    String engine,
    String kind,
    String name,
    String dir,
    String serverUrl,
    String passwordRef,
    String url,
    String taskQueue) {

  public static final String CLUSTER = "cluster";
  public static final String SERVER = "server";
  public static final String FILE = "file";

  public DbTarget dbTarget() {
    if (url == null) {
      throw new IllegalStateException("throwaway target " + name + " is planned, not created");
    }
    return new DbTarget(database, url, passwordRef);
  }

  /** What it is and where, for a person who has to find it: "cluster lifeboat_drill_x in /tmp/... (host queue ...)". */
  public String describe() {
    return switch (kind) {
      case CLUSTER -> "cluster " + name + ", data directory " + dir + " on the worker polling " + taskQueue;
      case SERVER -> "database " + name + " on " + serverUrl;
      case FILE -> "SQLite file " + dir + " on the worker polling " + taskQueue;
      default -> kind + " " + name;
    };
  }

  public ThrowawayTarget created(String createdUrl) {
    return new ThrowawayTarget(drillId, database, engine, kind, name, dir, serverUrl, passwordRef, createdUrl,
        taskQueue);
  }
}
