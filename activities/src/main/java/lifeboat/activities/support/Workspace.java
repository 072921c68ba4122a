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
import lifeboat.activities.repository.Repository;

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
    return db.engine().equals("sqlite")
        ? DbConnection.sqlite(cfg.resolvePath(db.path()).toString())
        : DbConnection.postgres(db.url(), cfg.secrets().resolve(db.password(), "databases." + database + ".password"));
  }

}
