package lifeboat.activities.migration;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbUrls;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.MigratorSpec;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * The built-in migrator: Flyway Community over folders of {@code V<n>__name.sql}, on PostgreSQL (JDBC, the
 * resolved password), MariaDB (Connector/J and flyway-mysql, the resolved password) and SQLite (sqlite-jdbc;
 * Flyway supports it in its core).
 *
 * <p>Settings chosen for restored copies of production: no baseline on migrate (a database with tables but no
 * flyway_schema_history is refused, never silently assumed to be at some version; a restored backup that has
 * the history simply continues from it), no placeholder replacement (the files are plain SQL), clean disabled.
 */
final class FlywayMigrator {
  private static final String FIX_HINT = "fix the migration file and run the step again";

  MigrationResult migrate(Config cfg, DbConnection db, MigratorSpec spec) {
    Flyway flyway = flyway(cfg, db, spec);
    long started = System.currentTimeMillis();
    try {
      MigrateResult result = flyway.migrate();
      String output = result.migrationsExecuted == 0
          ? "schema already at version " + result.initialSchemaVersion + ": nothing to apply"
          : "applied " + result.migrations.stream().map(m -> "V" + m.version + " " + m.description)
              .collect(Collectors.joining(", ")) + " (schema version " + result.initialSchemaVersion + " -> "
              + result.targetSchemaVersion + ")";
      return new MigrationResult(MigratorSpec.FLYWAY, result.migrationsExecuted, output,
          System.currentTimeMillis() - started);
    } catch (FlywayMigrateException e) {
      throw migrationFailed(e, db);
    } catch (FlywayException e) {
      throw flywayFailed("flyway migrate", e, db);
    }
  }

  SchemaCheck check(Config cfg, DbConnection db, MigratorSpec spec) {
    Flyway flyway = flyway(cfg, db, spec);
    try {
      MigrationInfo[] pending = flyway.info().pending();
      // Pending migrations are reported on their own; validate judges what was applied (checksums, missing files).
      ValidateResult validated = new Flyway(configure(cfg, db, spec).ignoreMigrationPatterns("*:pending", "*:future"))
          .validateWithResult();
      if (!validated.validationSuccessful) {
        return new SchemaCheck(false, Redactor.redact("flyway validate failed: "
            + validated.getAllErrorMessages().strip(), db.password()));
      }
      if (pending.length > 0) {
        return new SchemaCheck(false, "pending migrations: " + Arrays.stream(pending)
            .map(m -> "V" + m.getVersion() + " " + m.getDescription()).collect(Collectors.joining(", ")));
      }
      MigrationInfo current = flyway.info().current();
      return new SchemaCheck(true, "flyway validate passed, nothing pending; schema version "
          + (current == null ? "none" : current.getVersion()));
    } catch (FlywayException e) {
      throw flywayFailed("flyway info/validate", e, db);
    }
  }

  private static Flyway flyway(Config cfg, DbConnection db, MigratorSpec spec) {
    return new Flyway(configure(cfg, db, spec));
  }

  private static FluentConfiguration configure(Config cfg, DbConnection db, MigratorSpec spec) {
    String[] locations = MigratorSpecs.locations(cfg, spec).stream()
        .map(Path::toAbsolutePath).map(p -> "filesystem:" + p).toArray(String[]::new);
    FluentConfiguration conf = Flyway.configure(FlywayMigrator.class.getClassLoader())
        .locations(locations)
        .failOnMissingLocations(true)
        .baselineOnMigrate(false)
        .placeholderReplacement(false)
        .cleanDisabled(true)
        .connectRetries(0);
    if (db.isDuckDb()) {
      // Flyway's DuckDB support is a community plugin built for an older Flyway than this one: not shipped.
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "the flyway migrator does not run on DuckDB databases",
          "use migrator type: command (it gets DATABASE_URL=file:<the restored file>), e.g. a script that runs your "
              + "migrations with the duckdb CLI or a driver");
    }
    if (db.url() == null) {
      return conf.dataSource("jdbc:sqlite:" + db.path(), null, null);
    }
    if (ConnectionStrings.isMariaDbUrl(db.url())) {
      MariaDbUrls.MariaDbUrl url = MariaDbUrls.parse(db.url());
      // the same connect timeout as the engine's own connections; the password goes as a property, never in the URL
      return conf.dataSource(url.jdbcUrl(), url.user(), db.password()).jdbcProperties(Map.of("connectTimeout", "10000"));
    }
    PgUrls.PgUrl url = PgUrls.parse(db.url());
    Properties props = PgUrls.jdbcProperties(url, db.password());
    Map<String, String> extra = new LinkedHashMap<>();
    props.stringPropertyNames().stream().filter(k -> !k.equals("user") && !k.equals("password"))
        .forEach(k -> extra.put(k, props.getProperty(k)));
    return conf.dataSource(url.jdbcUrl(), props.getProperty("user"), props.getProperty("password"))
        .jdbcProperties(extra);
  }

  /** A migration's SQL failed: name it and say why in words. */
  private static LifeboatException migrationFailed(FlywayMigrateException e, DbConnection db) {
    MigrationInfo m = e.getMigration();
    String name = m == null ? "a migration" : "migration V" + m.getVersion() + " (" + m.getDescription() + ", "
        + m.getScript() + ")";
    SQLException sql = sqlCause(e);
    String cause = sql != null ? FailureCause.explain(sql.getSQLState(), sql.getMessage())
        : FailureCause.explain(e.getSqlState(), e.getMessage());
    // MariaDB commits each DDL statement by itself: Flyway's transaction around the script undoes nothing of it
    String rolledBack = ConnectionStrings.isMariaDbUrl(db.url())
        ? "MariaDB commits each schema change (DDL) on its own, so the statements before the failing one stay "
            + "applied: check what it changed (or restore the pre-migration backup) before running again; "
        : e.isExecutableInTransaction()
        ? "it ran in a transaction and was rolled back, so the schema is as before it; "
        : "it did not run in a transaction: check what it changed before running again; ";
    return new LifeboatException(ErrorCode.MIGRATION_FAILED,
        Redactor.redact("Flyway " + name + " failed: " + cause, db.password()), rolledBack + FIX_HINT);
  }

  /** Not a migration's SQL: validation, a schema without history, a connection... */
  private static LifeboatException flywayFailed(String what, FlywayException e, DbConnection db) {
    String message = Redactor.redact(FailureCause.firstErrorLine(e.getMessage() == null ? e.toString() : e.getMessage()),
        db.password());
    String hint = message.contains("no schema history table")
        ? "the database has tables but no flyway_schema_history: baseline it once where it lives "
            + "(flyway baseline -baselineVersion=N), or use a command migrator"
        : message.contains("checksum mismatch") || message.contains("not resolved locally")
            ? "the database's flyway_schema_history does not match the migration files: fix the files (or run "
                + "flyway repair on the source database) so both agree"
            : FIX_HINT;
    return new LifeboatException(ErrorCode.MIGRATION_FAILED, what + " failed: " + message, hint);
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
