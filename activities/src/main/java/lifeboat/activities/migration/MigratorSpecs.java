package lifeboat.activities.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.MigratorSpec;

/**
 * Reads a runbook's migrator section as the worker must: every problem is MIGRATOR_INVALID (not retried),
 * and relative paths resolve against the worker's home, the folder of lifeboat.yaml.
 */
final class MigratorSpecs {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  private static final String DOCS = "see docs/migrators.md";

  private MigratorSpecs() {}

  /** "flyway" or "command". */
  static String type(MigratorSpec spec) {
    if (spec == null) {
      throw invalid("the runbook has no migrator", "add a migrator: section (type: flyway or type: command)");
    }
    if (MigratorSpec.FLYWAY.equals(spec.type()) || MigratorSpec.COMMAND.equals(spec.type())) {
      return spec.type();
    }
    throw invalid("unknown migrator type '" + spec.type() + "'", "write type: flyway or type: command");
  }

  /** Flyway's locations as existing folders. */
  static List<Path> locations(Config cfg, MigratorSpec spec) {
    if (spec.locations() == null || spec.locations().isEmpty()) {
      throw invalid("a flyway migrator needs locations", "list the folders of V1__name.sql files: locations: [runbooks/migrations/app]");
    }
    return spec.locations().stream().map(l -> existingFolder(cfg, l, "migrations folder")).toList();
  }

  static String command(MigratorSpec spec) {
    if (spec.command() == null || spec.command().isBlank()) {
      throw invalid("a command migrator needs a command", "e.g. command: \"npx prisma migrate deploy\"");
    }
    return spec.command();
  }

  /** Where commands run: workDir, or the worker's home. */
  static Path workDir(Config cfg, MigratorSpec spec) {
    return spec.workDir() == null ? cfg.baseDir() : existingFolder(cfg, spec.workDir(), "workDir");
  }

  static Duration timeout(MigratorSpec spec) {
    if (spec.timeout() == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      Duration d = Durations.parse(spec.timeout());
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw invalid("migrator timeout '" + spec.timeout() + "' is not a positive duration", "write e.g. 30m, 2h or 90s");
  }

  private static Path existingFolder(Config cfg, String path, String what) {
    Path folder = cfg.resolvePath(path);
    if (!Files.isDirectory(folder)) {
      throw invalid("migrator " + what + " " + folder + " is not a folder on this worker",
          "relative paths are relative to the worker's home, " + cfg.baseDir() + " (the folder of lifeboat.yaml)");
    }
    return folder;
  }

  static LifeboatException invalid(String message, String hint) {
    return new LifeboatException(ErrorCode.MIGRATOR_INVALID, message, hint + " (" + DOCS + ")");
  }
}
