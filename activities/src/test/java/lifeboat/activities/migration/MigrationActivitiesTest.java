package lifeboat.activities.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
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
import lifeboat.activities.testing.DuckDbFiles;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.workflows.migration.MigrationResult;
import lifeboat.workflows.migration.SchemaCheck;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.MigratorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both migrators against a real PostgreSQL cluster (as a role with a password full of URL-special characters)
 * and real SQLite files, through the activity implementation; the commands are real psql and sqlite3.
 */
class MigrationActivitiesTest {
  static final String PASSWORD = "Migr@tor:pw/9&x+ y";
  static final String ENCODED = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20");
  static final String TOKEN = "tok-5ecret-41";
  static final String VERSION_QUERY = "select max(version) from flyway_schema_history where success";
  static final AtomicInteger SEQ = new AtomicInteger();
  static PgCluster pg;

  @TempDir Path home;
  MigrationActivitiesImpl migrations;
  final AtomicInteger heartbeats = new AtomicInteger();
  final Runnable heartbeat = heartbeats::incrementAndGet;

  @BeforeAll
  static void startPostgres() {
    pg = PgCluster.start();
    pg.exec("postgres", "CREATE ROLE migrator LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void workerHome() throws Exception {
    Files.writeString(home.resolve("migrator-pw.txt"), PASSWORD + "\n");
    copyFolder(repositoryMigrations(), home.resolve("migrations/app"));
    Files.createDirectories(home.resolve("migrations/v1"));
    Files.copy(home.resolve("migrations/app/V1__users.sql"), home.resolve("migrations/v1/V1__users.sql"));
    DuckDbFiles.sql(home.resolve("ducks.duckdb"), "CREATE TABLE schema_version(v INTEGER); INSERT INTO schema_version"
        + " VALUES (3)");
    SqliteFiles.sql(home.resolve("notes.db"), "create table notes(id integer primary key, body text not null)",
        "insert into notes(body) values ('a'), ('b')");
    Files.writeString(home.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          app:
            engine: postgres
            url: %s
            password: file:migrator-pw.txt
            repository: local
            encryption: none
            schemaVersionQuery: %s
          notes:
            engine: sqlite
            path: notes.db
            repository: local
            encryption: none
            schemaVersionQuery: pragma user_version
          ducks:
            engine: duckdb
            path: ducks.duckdb
            repository: local
            encryption: none
            schemaVersionQuery: select max(v) from schema_version
        """.formatted(migratorUrl("postgres"), VERSION_QUERY));
    migrations = new MigrationActivitiesImpl(Workspace.fromFile(home.resolve("lifeboat.yaml")),
        Map.of("PATH", System.getenv("PATH"), "HOME", home.toString(), "SECRET_OF_THE_WORKER", TOKEN));
  }

  // ---- Flyway ----

  @Test
  void flywayBringsARestoredDatabaseFromV1ToV3() {
    DbTarget target = freshDatabase();
    assertEquals(1, migrations.migrate(target, flyway("migrations/v1"), heartbeat).applied());
    pg.exec(dbName(target), "INSERT INTO users(email) VALUES ('ann@example.com'), ('bob@example.com')");
    assertEquals("1", migrations.readSchemaVersion(target));

    SchemaCheck before = migrations.checkSchema(target, flyway("migrations/app"), heartbeat);
    assertFalse(before.clean());
    assertTrue(before.detail().contains("pending migrations: V2 orders, V3 users display name and order status"),
        before.detail());

    MigrationResult result = migrations.migrate(target, flyway("migrations/app"), heartbeat);
    assertEquals(2, result.applied());
    assertEquals("flyway", result.migrator());
    assertTrue(result.output().contains("1 -> 3"), result.output());
    assertEquals("3", migrations.readSchemaVersion(target));
    assertEquals("ann", pg.exec(dbName(target), "SELECT display_name FROM users ORDER BY id LIMIT 1"));

    SchemaCheck after = migrations.checkSchema(target, flyway("migrations/app"), heartbeat);
    assertTrue(after.clean(), after.detail());
    assertTrue(after.detail().contains("schema version 3"), after.detail());
    assertEquals(0, migrations.migrate(target, flyway("migrations/app"), heartbeat).applied(), "runs again as a no-op");
    assertTrue(heartbeats.get() > 0, "heartbeats while Flyway runs");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not-null     | V4 (users country        | a NOT NULL column added without a default (column country of users): add a DEFAULT or backfill",
      "renamed      | V4 (users name index     | a column the migration expects is missing: a renamed or dropped column (name)",
      "changed-type | V4 (orders status code   | a changed column type: existing data does not convert (ERROR: invalid input syntax for type integer: \"paid\")"})
  void flywayFailuresNameTheMigrationAndTheCause(String folder, String migration, String cause) throws Exception {
    DbTarget target = freshDatabase();
    migrations.migrate(target, flyway("migrations/app"), heartbeat);
    pg.exec(dbName(target), "INSERT INTO users(email) VALUES ('ann@example.com');"
        + " INSERT INTO orders(user_id, total_cents) SELECT id, 1250 FROM users");

    LifeboatException e = assertThrows(LifeboatException.class,
        () -> migrations.migrate(target, flyway("migrations/app", failing(folder)), heartbeat));
    assertEquals(ErrorCode.MIGRATION_FAILED, e.code());
    assertTrue(e.getMessage().startsWith("Flyway migration " + migration), e.getMessage());
    assertTrue(e.getMessage().contains(cause), e.getMessage());
    assertTrue(e.hint().contains("rolled back"), e.hint());
    assertEquals("3", migrations.readSchemaVersion(target), "the failed migration left no trace");
    assertNoPassword(e.userMessage());
  }

  @Test
  void flywayRefusesToGuessAndNoticesEditedMigrations() throws IOException {
    DbTarget unmanaged = freshDatabase();
    pg.exec(dbName(unmanaged), "SET ROLE migrator; CREATE TABLE users (id int)");
    LifeboatException e = assertCode(ErrorCode.MIGRATION_FAILED,
        () -> migrations.migrate(unmanaged, flyway("migrations/app"), heartbeat));
    assertTrue(e.hint().contains("no flyway_schema_history: baseline it"), e.userMessage());

    DbTarget managed = freshDatabase();
    migrations.migrate(managed, flyway("migrations/app"), heartbeat);
    Files.writeString(home.resolve("migrations/app/V1__users.sql"), "\n-- edited after it was applied\n",
        java.nio.file.StandardOpenOption.APPEND);
    SchemaCheck check = migrations.checkSchema(managed, flyway("migrations/app"), heartbeat);
    assertFalse(check.clean());
    assertTrue(check.detail().contains("checksum mismatch for migration version 1"), check.detail());
  }

  @Test
  void flywayOnSqlite() throws Exception {
    Path lite = home.resolve("fresh.db");
    SqliteFiles.sql(lite, "pragma user_version = 0");
    DbTarget target = new DbTarget("notes", "fresh.db", null);
    MigratorSpec spec = flyway(failing("sqlite").toString());
    assertFalse(migrations.checkSchema(target, spec, heartbeat).clean());
    assertEquals(2, migrations.migrate(target, spec, heartbeat).applied());
    assertTrue(migrations.checkSchema(target, spec, heartbeat).clean());
    SqliteFiles.sql(lite, "insert into notes(body) values ('x')");
    assertEquals(1, SqliteFiles.count(lite, "notes"));
  }

  @Test
  void badSpecsAreMigratorInvalid() {
    DbTarget target = freshDatabase();
    assertCode(ErrorCode.MIGRATOR_INVALID, () -> migrations.migrate(target, spec("liquibase", null, null, null), heartbeat));
    assertCode(ErrorCode.MIGRATOR_INVALID, () -> migrations.migrate(target, spec("flyway", null, null, null), heartbeat));
    LifeboatException missing = assertCode(ErrorCode.MIGRATOR_INVALID,
        () -> migrations.migrate(target, flyway("migrations/nope"), heartbeat));
    assertTrue(missing.getMessage().contains(home.resolve("migrations/nope").toString()), missing.getMessage());
    assertCode(ErrorCode.MIGRATOR_INVALID, () -> migrations.migrate(target, spec("command", null, null, null), heartbeat));
    assertCode(ErrorCode.MIGRATOR_INVALID, () -> migrations.migrate(target,
        new MigratorSpec("command", null, "true", null, null, Map.of("DATABASE_URL", "postgresql://x@y/z"), null, null),
        heartbeat));
  }

  @Test
  void aWrongPasswordIsAuthFailedNotAMigrationFailure() throws IOException {
    DbTarget target = freshDatabase();
    Files.writeString(home.resolve("wrong.txt"), "not-it");
    DbTarget wrong = new DbTarget("app", target.url(), "file:wrong.txt");
    assertCode(ErrorCode.AUTH_FAILED, () -> migrations.migrate(wrong, flyway("migrations/app"), heartbeat));
  }

  // ---- commands ----

  @Test
  void commandMigratorWithACheckCommand() {
    DbTarget target = freshDatabase();
    MigratorSpec spec = spec("command", null,
        "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -c 'CREATE TABLE IF NOT EXISTS audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())'",
        // no URL: the PG* variables alone must reach the database
        "test \"$(psql -tAc \"SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit'\")\" = 1");
    SchemaCheck before = migrations.checkSchema(target, spec, heartbeat);
    assertFalse(before.clean(), before.detail());
    assertTrue(before.detail().contains("exited with status 1"), before.detail());

    MigrationResult result = migrations.migrate(target, spec, heartbeat);
    assertEquals(spec.command(), result.migrator());
    assertEquals(-1, result.applied());
    assertTrue(result.output().contains("CREATE TABLE"), result.output());
    assertEquals("0", pg.exec(dbName(target), "SELECT count(*) FROM audit"));
    assertTrue(migrations.checkSchema(target, spec, heartbeat).clean());
    assertEquals("no check command",
        migrations.checkSchema(target, spec("command", null, "true", null), heartbeat).detail());
  }

  @Test
  void aFailingCommandGivesItsOutputTailAndNeverThePassword() throws IOException {
    DbTarget target = freshDatabase();
    Files.writeString(home.resolve("token.txt"), TOKEN);
    MigratorSpec spec = new MigratorSpec("command", null, String.join("; ",
        "for i in $(seq 1 60); do echo \"line $i\"; done",
        "echo \"connecting to $DATABASE_URL as $PGUSER with $PGPASSWORD, token $API_TOKEN, mode $NODE_ENV\"",
        "echo 'psql:migrations/0042.sql:3: ERROR:  column \"name\" does not exist' >&2",
        "exit 3"), null, null, Map.of("NODE_ENV", "production"), Map.of("API_TOKEN", "file:token.txt"), null);
    LifeboatException e = assertCode(ErrorCode.MIGRATION_FAILED, () -> migrations.migrate(target, spec, heartbeat));
    String text = e.userMessage();
    assertTrue(text.contains("exited with status 3: a column the migration expects is missing: a renamed or dropped column (name)"),
        text);
    assertTrue(text.contains("line 60") && !text.contains("line 10\n"), "only the last lines: " + text);
    assertTrue(text.contains("as migrator with ***, token ***, mode production"), text);
    assertTrue(text.contains("postgresql://migrator:***@"), text);
    assertNoPassword(text);
    assertFalse(text.contains(TOKEN), text);
  }

  @Test
  void aSuccessfulCommandsOutputIsRedactedToo() {
    DbTarget target = freshDatabase();
    MigrationResult result = migrations.migrate(target,
        spec("command", null, "echo \"$DATABASE_URL\"; echo \"$PGPASSWORD\"; psql \"$DATABASE_URL\" -tAc 'select current_user'", null),
        heartbeat);
    assertTrue(result.output().contains("migrator"), result.output());
    assertNoPassword(result.output());
  }

  @Test
  void theWorkersOtherVariablesStayWithTheWorker() {
    MigrationResult result = migrations.migrate(DbTarget.configured("notes"),
        spec("command", null, "env | cut -d= -f1 | sort | tr '\\n' ' '", null), heartbeat);
    assertFalse(result.output().contains("SECRET_OF_THE_WORKER"), result.output());
    assertTrue(result.output().contains("DATABASE_URL") && result.output().contains("PATH"), result.output());
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    DbTarget target = freshDatabase();
    Path pidFile = home.resolve("sleep.pid");
    MigratorSpec spec = new MigratorSpec("command", null, "sleep 600 & echo $! > " + pidFile + "; wait", null, null,
        null, null, "3s");
    long started = System.currentTimeMillis();
    LifeboatException e = assertCode(ErrorCode.MIGRATION_FAILED, () -> migrations.migrate(target, spec, heartbeat));
    long took = System.currentTimeMillis() - started;
    assertTrue(e.getMessage().contains("timed out after 3s and was killed"), e.getMessage());
    assertTrue(took < 20_000, "took " + took + " ms");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "sleep 600, a grandchild, was killed");
    assertTrue(heartbeats.get() >= 1, "heartbeats while the command runs");
  }

  /** Temporal's heartbeat throws when the step was cancelled or already timed out: the command must die. */
  @Test
  void aFailingHeartbeatStopsTheCommandAndIsWhatIsThrown() throws Exception {
    DbTarget target = freshDatabase();
    Path pidFile = home.resolve("cancelled.pid");
    RuntimeException cancelled = new RuntimeException("activity cancelled");
    Runnable cancelling = () -> {
      if (heartbeats.incrementAndGet() >= 2) {
        throw cancelled;
      }
    };
    MigratorSpec spec = spec("command", null, "sleep 600 & echo $! > " + pidFile + "; wait", null);
    long started = System.currentTimeMillis();
    RuntimeException e = assertThrows(RuntimeException.class, () -> migrations.migrate(target, spec, cancelling));
    assertEquals(cancelled, e);
    assertTrue(System.currentTimeMillis() - started < 20_000);
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "sleep 600 was killed");
    assertFalse(Thread.interrupted(), "no interrupt leaks into the worker's next task");
  }

  @Test
  void sqliteCommandMigrator() throws Exception {
    DbTarget target = new DbTarget("notes", home.resolve("notes.db").toString(), null);
    MigratorSpec spec = new MigratorSpec("command", null,
        "sqlite3 \"${DATABASE_URL#file:}\" \"alter table notes add column created_at text not null default '1970-01-01'; pragma user_version = 2;\"",
        "test \"$(sqlite3 \"${DATABASE_URL#file:}\" 'pragma user_version')\" = 2", null, null, null, null);
    assertEquals("0", migrations.readSchemaVersion(target));
    assertFalse(migrations.checkSchema(target, spec, heartbeat).clean());
    migrations.migrate(target, spec, heartbeat);
    assertEquals("2", migrations.readSchemaVersion(target));
    assertTrue(migrations.checkSchema(target, spec, heartbeat).clean());
    assertEquals(2, SqliteFiles.count(home.resolve("notes.db"), "notes where created_at = '1970-01-01'"));
  }

  /**
   * DuckDB: a command migrator gets the file (DATABASE_URL=file:PATH, as SQLite's), the schema version is read
   * from it; Flyway, which has no DuckDB support in this build, is refused as a config error, not retried.
   */
  @Test
  void duckDbCommandMigratorGetsTheFileAndFlywayIsRefused() {
    Path file = home.resolve("ducks.duckdb");
    DbTarget target = new DbTarget("ducks", file.toString(), null);
    assertEquals("3", migrations.readSchemaVersion(target));
    MigrationResult result = migrations.migrate(target, spec("command", null, "echo \"$DATABASE_URL\"", null),
        heartbeat);
    assertEquals("file:" + file, result.output());
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> migrations.migrate(target, flyway("migrations/v1"), heartbeat));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code(), e.userMessage());
    assertTrue(e.hint().contains("type: command"), e.hint());
  }

  @Test
  void theConfiguredDatabaseItselfIsATargetAndCommandsRunInTheWorkerHome() throws IOException {
    MigrationResult result = migrations.migrate(DbTarget.configured("notes"),
        spec("command", null, "pwd; echo \"$DATABASE_URL\"", null), heartbeat);
    assertEquals(home.toRealPath() + "\nfile:" + home.resolve("notes.db"), result.output());
  }

  // ---- helpers ----

  DbTarget freshDatabase() {
    String db = "mig" + SEQ.incrementAndGet();
    pg.exec("postgres", "CREATE DATABASE " + db + " OWNER migrator");
    return new DbTarget("app", migratorUrl(db), "file:migrator-pw.txt");
  }

  static String migratorUrl(String db) {
    return pg.url(db).replace("postgres@", "migrator@");
  }

  static String dbName(DbTarget target) {
    return target.url().substring(target.url().lastIndexOf('/') + 1);
  }

  static MigratorSpec flyway(String... locations) {
    return spec("flyway", List.of(locations), null, null);
  }

  static MigratorSpec spec(String type, List<String> locations, String command, String check) {
    return new MigratorSpec(type, locations, command, check, null, null, null, null);
  }

  /** A folder of deliberately failing migrations among the test resources, as an absolute path. */
  static String failing(String folder) throws URISyntaxException {
    return Path.of(MigrationActivitiesTest.class.getResource("/migrations/" + folder).toURI()).toString();
  }

  static Path repositoryMigrations() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("runbooks/migrations/app"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("runbooks/migrations/app not found above " + Path.of("").toAbsolutePath());
    }
    return p.resolve("runbooks/migrations/app");
  }

  static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  static void assertNoPassword(String text) {
    assertFalse(text.contains(PASSWORD), text);
    assertFalse(text.contains(ENCODED), text);
  }

  static LifeboatException assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable body) {
    LifeboatException e = assertThrows(LifeboatException.class, body);
    assertEquals(code, e.code(), e.userMessage());
    return e;
  }
}
