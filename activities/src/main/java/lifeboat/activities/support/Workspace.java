package lifeboat.activities.support;

import java.nio.file.Path;
import java.util.function.Supplier;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Engines;
import lifeboat.activities.repository.Repositories;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.model.DbTarget;

/**
 * What activities share: the worker's configuration (re-read on every activity, so an edit of lifeboat.yaml
 * takes effect without restarting the worker) and the engines.
 */
public final class Workspace {
  private final Supplier<Config> config;
  private final Engines engines;
  private final Metrics metrics;

  public Workspace(Supplier<Config> config, Engines engines, Metrics metrics) {
    this.config = config;
    this.engines = engines;
    this.metrics = metrics;
  }

  public static Workspace fromFile(Path configFile) {
    return fromFile(configFile, Metrics.none());
  }

  public static Workspace fromFile(Path configFile, Metrics metrics) {
    return new Workspace(() -> ConfigLoader.load(configFile), Engines.standard(), metrics);
  }

  public Metrics metrics() {
    return metrics;
  }

  public Config config() {
    return config.get();
  }

  public DatabaseEngine engine(String name) {
    return engines.get(name);
  }

  public Repository repository(Config cfg, String name) {
    return Repositories.open(cfg, name);
  }

  /** Connection of a configured database, with its password resolved here, inside the activity. */
  public DbConnection connection(Config cfg, String database) {
    DatabaseConfig db = cfg.database(database);
    if (db.engine().equals("sqlite")) {
      return DbConnection.sqlite(cfg.resolvePath(db.path()).toString());
    }
    if (db.engine().equals("duckdb")) {
      return DbConnection.duckdb(cfg.resolvePath(db.path()).toString());
    }
    String password = cfg.secrets().resolve(db.password(), "databases." + database + ".password");
    return db.engine().equals("mariadb") ? DbConnection.mariadb(db.url(), password)
        : DbConnection.postgres(db.url(), password);
  }

  /**
   * Connection of a step's target: the configured database itself, or another one of the same engine (a
   * restored copy) by URL and password reference, or by SQLite path (relative: to the worker's home).
   */
  public DbConnection connection(Config cfg, DbTarget target) {
    if (target.inPlace()) {
      return connection(cfg, target.database());
    }
    String engine = cfg.database(target.database()).engine();
    String url = target.url();
    if (engine.equals("mariadb")) {
      return mariadbTarget(cfg, target);
    }
    boolean postgres = ConnectionStrings.isPostgresUrl(url);
    if (engine.equals("postgres") != postgres) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID,
          "target " + url + " does not suit " + target.database() + ", a " + engine + " database",
          engine.equals("postgres") ? "give a postgresql://user@host:port/database URL" : "give a file path");
    }
    if (!postgres) {
      String path = cfg.resolvePath(url).toString();
      return engine.equals("duckdb") ? DbConnection.duckdb(path) : DbConnection.sqlite(path);
    }
    if (ConnectionStrings.containsPassword(url)) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "target URL must not contain a password",
          "pass the password as a reference (env:NAME or file:PATH)");
    }
    return DbConnection.postgres(url, cfg.secrets().resolve(target.passwordRef(), "the target's password"));
  }

  /** A MariaDB restore target: a mariadb:// URL without a password, its password by reference. */
  private DbConnection mariadbTarget(Config cfg, DbTarget target) {
    if (!ConnectionStrings.isMariaDbUrl(target.url())) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "target " + target.url() + " does not suit "
          + target.database() + ", a mariadb database", "give a mariadb://user@host:port/database URL");
    }
    if (ConnectionStrings.containsPassword(target.url())) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "target URL must not contain a password",
          "pass the password as a reference (env:NAME or file:PATH)");
    }
    return DbConnection.mariadb(target.url(), cfg.secrets().resolve(target.passwordRef(), "the target's password"));
  }
}
