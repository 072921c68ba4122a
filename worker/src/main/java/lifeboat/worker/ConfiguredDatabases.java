package lifeboat.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.errors.LifeboatException;

/**
 * The database names of a lifeboat.yaml, for the CLI's runbook checks: a runbook for a database the workers do
 * not have would be scheduled and fail at every run. A facade, as {@code HistoryEncryption} is, so the CLI never
 * sees the configuration classes.
 */
public final class ConfiguredDatabases {
  private ConfiguredDatabases() {}

  /**
   * The names under {@code databases:}, in the file's order; empty when the file is not there and was not named
   * (a machine that only runs commands has no lifeboat.yaml, and then there is nothing to check against).
   *
   * @throws IllegalArgumentException with the one-line CONFIG_INVALID message of a broken file
   */
  public static Optional<List<String>> of(Path configFile, boolean named) {
    if (!named && !Files.exists(configFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(List.copyOf(ConfigLoader.load(configFile).databases().keySet()));
    } catch (LifeboatException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    }
  }
}
