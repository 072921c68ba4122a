package lifeboat.activities.migration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.runbook.MigratorSpec;

/**
 * Any schema tool as a migrator: {@code sh -c command} in workDir with the target in DATABASE_URL. Exit 0 is
 * success; anything else is MIGRATION_FAILED with the cause in words and the output's last lines. Everything
 * the command prints is redacted of every secret it was given before it leaves this class.
 */
final class CommandMigrator {
  private final Map<String, String> workerEnv;

  CommandMigrator(Map<String, String> workerEnv) {
    this.workerEnv = workerEnv;
  }

  MigrationResult migrate(Config cfg, DbConnection db, MigratorSpec spec, Runnable heartbeat) {
    String command = MigratorSpecs.command(spec);
    long started = System.currentTimeMillis();
    Ran ran = run(cfg, db, spec, command, heartbeat);
    if (!ran.outcome.succeeded()) {
      throw new LifeboatException(ErrorCode.MIGRATION_FAILED,
          "migrator command `" + command + "` " + ran.ending() + ": "
              + FailureCause.explain(null, ran.tail) + ran.tailBlock(),
          "fix the migration and run the step again; the command must be safe to run twice (docs/migrators.md)");
    }
    return new MigrationResult(command, -1, ran.tail, System.currentTimeMillis() - started);
  }

  SchemaCheck check(Config cfg, DbConnection db, MigratorSpec spec, Runnable heartbeat) {
    if (spec.checkCommand() == null || spec.checkCommand().isBlank()) {
      return new SchemaCheck(true, "no check command");
    }
    Ran ran = run(cfg, db, spec, spec.checkCommand(), heartbeat);
    if (ran.outcome.succeeded()) {
      return new SchemaCheck(true, "`" + spec.checkCommand() + "` exited with status 0" + ran.tailBlock());
    }
    return new SchemaCheck(false, "`" + spec.checkCommand() + "` " + ran.ending() + ran.tailBlock());
  }

  private Ran run(Config cfg, DbConnection db, MigratorSpec spec, String command, Runnable heartbeat) {
    Path workDir = MigratorSpecs.workDir(cfg, spec);
    Duration timeout = MigratorSpecs.timeout(spec);
    CommandEnvironment env = CommandEnvironment.of(workerEnv, db, spec, cfg.secrets());
    ShellCommand.Outcome outcome = Heartbeating.during(heartbeat,
        () -> ShellCommand.run(command, workDir, env.variables(), timeout));
    return new Ran(outcome, Redactor.redact(outcome.tail(), env.secrets()), timeout);
  }

  /** An outcome with its output already redacted. */
  private record Ran(ShellCommand.Outcome outcome, String tail, Duration timeout) {
    String ending() {
      return outcome.timedOut() ? "timed out after " + human(timeout) + " and was killed"
          : "exited with status " + outcome.exitCode();
    }

    private static String human(Duration d) {
      return d.toSeconds() % 3600 == 0 ? d.toHours() + "h" : d.toSeconds() % 60 == 0 ? d.toMinutes() + "m"
          : d.toSeconds() + "s";
    }

    String tailBlock() {
      return tail.isBlank() ? "" : "\n--- last lines of its output ---\n" + tail;
    }
  }
}
