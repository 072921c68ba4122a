package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.MigratorSpec;

/** Schema steps: read the version, run the migrator, check the schema. Relative paths: the worker's home. */
@ActivityInterface
public interface MigrationActivities {

  /** The target's schema version by the database's schemaVersionQuery; null when none is configured. */
  @ActivityMethod(name = "ReadSchemaVersion")
  String readSchemaVersion(DbTarget target);

  /** The target's user relations (tables, views, sequences), sorted: compared before and after a rollback. */
  @ActivityMethod(name = "ListRelations")
  java.util.List<String> listRelations(DbTarget target);

  /**
   * Brings the schema forward. A failure is MIGRATION_FAILED (not retried), naming the failing migration and
   * the likely cause: a NOT NULL column added without a default, a renamed column, a changed type.
   */
  @ActivityMethod(name = "Migrate")
  MigrationResult migrate(DbTarget target, MigratorSpec migrator);

  /** Flyway: validate and nothing pending; a command migrator: its checkCommand (exit 0 = clean). */
  @ActivityMethod(name = "CheckSchema")
  SchemaCheck checkSchema(DbTarget target, MigratorSpec migrator);
}
