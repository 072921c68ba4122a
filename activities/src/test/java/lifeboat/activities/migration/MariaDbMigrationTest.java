package lifeboat.activities.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.MigratorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both migrators on a real MariaDB server, through the activity implementation, as a user whose password is full
 * of URL-special characters: Flyway (flyway-mysql) with its schema version, the relations it created (a table,
 * a view, a sequence), a migration MariaDB half-applies (its DDL is not transactional, and the error says so),
 * and a command migrator that reaches the database through the MYSQL_* variables alone.
 */
class MariaDbMigrationTest {
  static final String PASSWORD = "Migr@tor:pw/9&x+ y";
  static final String ENCODED = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20");
  static final String VERSION_QUERY = "SELECT max(version) FROM flyway_schema_history WHERE success";
  static final AtomicInteger SEQ = new AtomicInteger();
  static MariaDbServer maria;

  @TempDir Path home;
  MigrationActivitiesImpl migrations;
  final AtomicInteger heartbeats = new AtomicInteger();
  final Runnable heartbeat = heartbeats::incrementAndGet;

  @BeforeAll
  static void startMariaDb() {
    maria = MariaDbServer.start();
    maria.exec(null, "CREATE USER migrator@'%' IDENTIFIED BY '" + PASSWORD + "';"
        + " GRANT ALL ON `mig%`.* TO migrator@'%'");
  }

  @AfterAll
  static void stopMariaDb() {
    if (maria != null) {
      maria.close();
    }
  }

  @BeforeEach
  void workerHome() throws Exception {
    Files.writeString(home.resolve("migrator-pw.txt"), PASSWORD + "\n");
    Files.writeString(home.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          shop:
            engine: mariadb
            url: %s
            password: file:migrator-pw.txt
            repository: local
            encryption: none
            schemaVersionQuery: %s
        """.formatted(migratorUrl("mig0"), VERSION_QUERY));
    migrations = new MigrationActivitiesImpl(Workspace.fromFile(home.resolve("lifeboat.yaml")),
        Map.of("PATH", System.getenv("PATH"), "HOME", home.toString()));
  }

  @Test
  void flywayMigratesAndChecksAMariaDbDatabase() throws Exception {
    DbTarget target = freshDatabase();
    assertEquals(List.of(), migrations.listRelations(target));
    SchemaCheck before = migrations.checkSchema(target, flyway("mariadb"), heartbeat);
    assertFalse(before.clean());
    assertTrue(before.detail().contains("pending migrations: V1 items, V2 orders"), before.detail());

    MigrationResult result = migrations.migrate(target, flyway("mariadb"), heartbeat);
    assertEquals(2, result.applied());
    assertTrue(result.output().startsWith("applied V1 items, V2 orders (schema version ")
        && result.output().endsWith(" -> 2)"), result.output());
    assertEquals("2", migrations.readSchemaVersion(target));
    assertEquals(List.of("flyway_schema_history", "invoice_numbers", "items", "orders", "priced_items"),
        migrations.listRelations(target), "tables, the view and the sequence of that one database");
    SchemaCheck after = migrations.checkSchema(target, flyway("mariadb"), heartbeat);
    assertTrue(after.clean(), after.detail());
    assertTrue(after.detail().contains("schema version 2"), after.detail());
    assertEquals(0, migrations.migrate(target, flyway("mariadb"), heartbeat).applied(), "again: a no-op");
    assertTrue(heartbeats.get() > 0, "heartbeats while Flyway runs");
  }

  /** MariaDB commits each DDL statement: what ran before the failing statement stays, and the error says so. */
  @Test
  void aFailedMigrationIsHalfAppliedAndTheHintSaysSo() throws Exception {
    DbTarget target = freshDatabase();
    migrations.migrate(target, flyway("mariadb"), heartbeat);
    LifeboatException e = MigrationActivitiesTest.assertCode(ErrorCode.MIGRATION_FAILED,
        () -> migrations.migrate(target, flyway("mariadb", "mariadb-half"), heartbeat));
    assertTrue(e.getMessage().startsWith("Flyway migration V3 (half change"), e.getMessage());
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
    assertTrue(e.hint().startsWith("MariaDB commits each schema change (DDL) on its own"), e.hint());
    assertFalse(e.hint().contains("rolled back, so the schema is as before"), e.hint());
    assertEquals("2", migrations.readSchemaVersion(target), "V3 is not recorded as applied");
    assertTrue(migrations.listRelations(target).contains("audit"), "the half of V3 that ran stayed");
    assertEquals("1", maria.exec(db(target), "SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
        + " DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'discontinued'"));
    assertNoPassword(e.userMessage());
  }

  @Test
  void aCommandMigratorGetsTheMariaDbConnectionInItsEnvironment() {
    DbTarget target = freshDatabase();
    // MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_PWD are read by the client itself; user and database are passed
    String client = "mariadb --no-defaults --protocol=TCP -u \"$MYSQL_USER\" \"$MYSQL_DATABASE\"";
    MigratorSpec spec = new MigratorSpec("command", null,
        client + " -e 'CREATE TABLE notes (id int PRIMARY KEY, body text)'; echo \"$DATABASE_URL $MYSQL_PWD\"",
        "test \"$(" + client + " -N -e \"SELECT count(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'notes'"
            + " AND TABLE_SCHEMA = DATABASE()\")\" = 1", null, null, null, null);
    assertFalse(migrations.checkSchema(target, spec, heartbeat).clean());
    MigrationResult result = migrations.migrate(target, spec, heartbeat);
    assertTrue(result.output().contains("mysql://migrator:***@127.0.0.1:" + maria.port() + "/" + db(target) + " ***"),
        result.output());
    assertNoPassword(result.output());
    assertEquals(List.of("notes"), migrations.listRelations(target));
    assertTrue(migrations.checkSchema(target, spec, heartbeat).clean());
  }

  @Test
  void lifeboatsOwnVariablesCannotBeOverridden() {
    DbTarget target = freshDatabase();
    MigrationActivitiesTest.assertCode(ErrorCode.MIGRATOR_INVALID, () -> migrations.migrate(target,
        new MigratorSpec("command", null, "true", null, null, Map.of("MYSQL_HOST", "elsewhere"), null, null),
        heartbeat));
  }

  @Test
  void aWrongPasswordIsAuthFailedNotAMigrationFailure() throws Exception {
    DbTarget target = freshDatabase();
    Files.writeString(home.resolve("wrong.txt"), "not-it");
    DbTarget wrong = new DbTarget("shop", target.url(), "file:wrong.txt");
    MigrationActivitiesTest.assertCode(ErrorCode.AUTH_FAILED,
        () -> migrations.migrate(wrong, flyway("mariadb"), heartbeat));
  }

  // ---- helpers ----

  DbTarget freshDatabase() {
    String name = "mig" + SEQ.incrementAndGet();
    maria.createDatabase(name);
    return new DbTarget("shop", migratorUrl(name), "file:migrator-pw.txt");
  }

  static String migratorUrl(String db) {
    return maria.url(db).replace("root@", "migrator@");
  }

  static String db(DbTarget target) {
    return target.url().substring(target.url().lastIndexOf('/') + 1);
  }

  static MigratorSpec flyway(String... resourceFolders) throws Exception {
    String[] folders = new String[resourceFolders.length];
    for (int i = 0; i < folders.length; i++) {
      folders[i] = MigrationActivitiesTest.failing(resourceFolders[i]);
    }
    return MigrationActivitiesTest.flyway(folders);
  }

  static void assertNoPassword(String text) {
    assertFalse(text.contains(PASSWORD), text);
    assertFalse(text.contains(ENCODED), text);
  }
}
