package lifeboat.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * lifeboat.yaml: the whole configuration for the commands that host a worker; for every other command that
 * talks to Temporal, where its history key is ({@code history.encryptionKey}).
 */
public final class ConfigOption {
  static final String ENV = "LIFEBOAT_CONFIG";

  @Option(names = {"-c", "--config"},
      description = "Configuration file (env LIFEBOAT_CONFIG; default ./lifeboat.yaml). Commands that only talk to"
          + " Temporal read its history.encryptionKey, and do without the default file when it is not there.")
  Path config;

  public Path path() {
    if (config != null) {
      return config;
    }
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("lifeboat.yaml");
  }

  /** Whether the file was named (--config or LIFEBOAT_CONFIG), so that its absence is an error, not "no key". */
  public boolean named() {
    String env = System.getenv(ENV);
    return config != null || (env != null && !env.isBlank());
  }
}
