package lifeboat.activities.migration;

import java.util.Map;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.MigrationActivities;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.MigratorSpec;

/**
 * Schema steps on a target (the configured database, or a restored copy of it): read its version, bring it
 * forward with the runbook's migrator, check it. Migrate and check heartbeat while they run. The methods
 * taking a heartbeat are public for tests, which run them outside a Temporal activity.
 */
public class MigrationActivitiesImpl implements MigrationActivities {
  private final Workspace workspace;
  private final FlywayMigrator flyway = new FlywayMigrator();
  private final CommandMigrator command;

  public MigrationActivitiesImpl(Workspace workspace) {
    this(workspace, System.getenv());
  }

  /** @param workerEnv where a command's PATH, HOME... come from (see CommandEnvironment) */
  public MigrationActivitiesImpl(Workspace workspace, Map<String, String> workerEnv) {
    this.workspace = workspace;
    this.command = new CommandMigrator(workerEnv);
  }

  @Override
  public String readSchemaVersion(DbTarget target) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      String query = cfg.database(target.database()).schemaVersionQuery();
      return query == null ? null : engine(cfg, target).schemaVersion(workspace.connection(cfg, target), query);
    });
  }

  @Override
  public java.util.List<String> listRelations(DbTarget target) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return engine(cfg, target).relations(workspace.connection(cfg, target));
    });
  }

  @Override
  public MigrationResult migrate(DbTarget target, MigratorSpec migrator) {
    return Activities.guard(() -> migrate(target, migrator, heartbeat()));
  }

  @Override
  public SchemaCheck checkSchema(DbTarget target, MigratorSpec migrator) {
    return Activities.guard(() -> checkSchema(target, migrator, heartbeat()));
  }

  public MigrationResult migrate(DbTarget target, MigratorSpec migrator, Runnable heartbeat) {
    Config cfg = workspace.config();
    String type = MigratorSpecs.type(migrator);
    DbConnection db = reachable(cfg, target);
    return type.equals(MigratorSpec.FLYWAY)
        ? Heartbeating.during(heartbeat, () -> flyway.migrate(cfg, db, migrator))
        : command.migrate(cfg, db, migrator, heartbeat);
  }

  public SchemaCheck checkSchema(DbTarget target, MigratorSpec migrator, Runnable heartbeat) {
    Config cfg = workspace.config();
    String type = MigratorSpecs.type(migrator);
    DbConnection db = reachable(cfg, target);
    return type.equals(MigratorSpec.FLYWAY)
        ? Heartbeating.during(heartbeat, () -> flyway.check(cfg, db, migrator))
        : command.check(cfg, db, migrator, heartbeat);
  }

  /**
   * The target's connection, tried once first: a wrong password or an unknown host then fails as AUTH_FAILED
   * or BAD_URL with their hints, not as a migration failure.
   */
  private DbConnection reachable(Config cfg, DbTarget target) {
    DbConnection db = workspace.connection(cfg, target);
    engine(cfg, target).serverVersion(db);
    return db;
  }

  private DatabaseEngine engine(Config cfg, DbTarget target) {
    return workspace.engine(cfg.database(target.database()).engine());
  }

  private static Runnable heartbeat() {
    Progress progress = Activities.heartbeatProgress();
    return () -> progress.add(0);
  }
}
