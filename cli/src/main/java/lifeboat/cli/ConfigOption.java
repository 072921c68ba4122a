package lifeboat.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The worker's lifeboat.yaml, for the commands that host a worker. */
public final class ConfigOption {
  @Option(names = {"-c", "--config"}, defaultValue = "${env:LIFEBOAT_CONFIG:-lifeboat.yaml}",
      description = "Configuration file (env LIFEBOAT_CONFIG; default ${DEFAULT-VALUE}).")
  Path config;

  public Path path() {
    return config;
  }
}
