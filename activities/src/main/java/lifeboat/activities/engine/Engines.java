package lifeboat.activities.engine;

import java.util.Map;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** The engines a worker knows, by the name used in lifeboat.yaml and manifests. */
public final class Engines {
  private final Map<String, DatabaseEngine> byName;

  public Engines(DatabaseEngine... engines) {
    this.byName = java.util.Arrays.stream(engines)
        .collect(java.util.stream.Collectors.toUnmodifiableMap(DatabaseEngine::name, e -> e));
  }

  public static Engines standard() {
    return new Engines(new PostgresEngine(), new SqliteEngine(), new MariaDbEngine(), new DuckDbEngine());
  }

  public DatabaseEngine get(String name) {
    DatabaseEngine engine = byName.get(name);
    if (engine == null) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "unknown engine '" + name + "'",
          "supported engines: " + String.join(", ", byName.keySet()));
    }
    return engine;
  }
}
