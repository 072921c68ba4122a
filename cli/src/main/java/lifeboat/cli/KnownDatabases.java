package lifeboat.cli;

import java.util.List;
import lifeboat.worker.ConfiguredDatabases;

/**
 * A database name checked against the CLI's own lifeboat.yaml before anything starts, so that `backup run
 * nosuchdb` without --wait exits 2 instead of starting a workflow that fails on the worker unseen. Only a file
 * that lists databases is checked against: a machine that only runs commands may have none, or one holding
 * just the history key, and then the worker's answer (UNKNOWN_DATABASE, exit 2 under --wait) is the check.
 */
public final class KnownDatabases {
  private KnownDatabases() {}

  /** The name, valid and configured; IllegalArgumentException (exit 2) naming the configured ones otherwise. */
  public static String require(ConfigOption config, String database) {
    WorkflowIds.requireName(database);
    List<String> configured = ConfiguredDatabases.of(config.path(), config.named()).orElse(List.of());
    if (!configured.isEmpty() && !configured.contains(database)) {
      throw new IllegalArgumentException("unknown database '" + database + "' [UNKNOWN_DATABASE] HINT: "
          + "configured databases: " + String.join(", ", configured) + " (in " + config.path() + ")");
    }
    return database;
  }
}
