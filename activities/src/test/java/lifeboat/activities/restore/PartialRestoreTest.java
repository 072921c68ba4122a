package lifeboat.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.engine.RestoreOptions;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accidental-delete scenario and its relatives, on a real PostgreSQL: one table back into a side database,
 * schema only then data only, and the in-place rollback into the configured database. Unencrypted backups: the
 * OpenPGP path is the same as for whole restores and is covered there.
 */
class PartialRestoreTest {
  static PgCluster pg;
  static int seq;

  @TempDir Path dir;
  String prod;
  Workspace workspace;
  BackupActivitiesImpl backup;
  RestoreActivitiesImpl restore;

  @BeforeAll
  static void start() {
    pg = PgCluster.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void production() throws Exception {
    prod = "prod" + (++seq);
    pg.createDatabase(prod);
    pg.exec(prod, String.join("\n",
        "CREATE TABLE users(id serial PRIMARY KEY, name text NOT NULL);",
        "INSERT INTO users(name) SELECT 'user ' || g FROM generate_series(1, 20) g;",
        "CREATE TABLE orders(id serial PRIMARY KEY, user_id int NOT NULL, amount numeric);",
        "INSERT INTO orders(user_id, amount) SELECT 1 + g % 20, g FROM generate_series(1, 100) g;"));
    Files.writeString(dir.resolve("pw.txt"), pg.password() + "\n");
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          prod: { engine: postgres, url: "%s", password: file:pw.txt, repository: local, encryption: none }
        """.formatted(pg.url(prod)));
    workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"));
    backup = new BackupActivitiesImpl(workspace);
    restore = new RestoreActivitiesImpl(workspace);
  }

  String side(String sql) {
    String name = "side" + (++seq * 100);
    pg.createDatabase(name);
    if (sql != null) {
      pg.exec(name, sql);
    }
    return name;
  }

  BackupManifest backUp() {
    return backup.dump("prod", "20250101T000000Z-p" + (++seq * 1000), null, Progress.none());
  }

  static RestoreRequest partial(BackupManifest m, String target, List<String> tables, boolean schemaOnly,
      boolean dataOnly, boolean clean) {
    return new RestoreRequest("prod", m.backupId(), target, "file:pw.txt", 1, clean, tables, schemaOnly, dataOnly,
        false, false);
  }

  String count(String db, String table) {
    return pg.exec(db, "SELECT count(*) FROM " + table);
  }

  String exists(String db, String table) {
    return pg.exec(db, "SELECT to_regclass('" + table + "') IS NOT NULL");
  }

  @Test
  void oneTableBackIntoASideDatabaseLeavesProductionAlone() {
    BackupManifest m = backUp();
    pg.exec(prod, "DELETE FROM users WHERE id > 5");
    String side = side("CREATE TABLE scratch(x int); INSERT INTO scratch VALUES (1);");

    RestoreRequest req = partial(m, pg.url(side), List.of("users"), false, false, false);
    restore.checkTarget(req); // other tables in the side database are fine
    restore.restore(req, m, Progress.none());

    assertEquals("20", count(side, "users"), "every row from before the delete");
    assertEquals("f", exists(side, "orders"), "only the named table");
    assertEquals("1", count(side, "scratch"), "the side database's own table is untouched");
    assertEquals("5", count(prod, "users"), "production is not touched");
    assertEquals("100", count(prod, "orders"));
    // the rows to copy back are there
    assertEquals("15", pg.exec(side, "SELECT count(*) FROM users WHERE id > 5"));

    ApplicationFailure again = assertThrows(ApplicationFailure.class, () -> restore.checkTarget(req));
    assertEquals(ErrorCode.TARGET_NOT_EMPTY.name(), again.getType());
    assertTrue(again.getMessage().contains("public.users"), again.getMessage());
    restore.checkTarget(req.withClean(true));
    restore.restore(req.withClean(true), m, Progress.none());
    assertEquals("20", count(side, "users"), "--clean replaces the table");
  }

  @Test
  void schemaQualifiedTableNames() {
    BackupManifest m = backUp();
    String side = side(null);
    restore.restore(partial(m, pg.url(side), List.of("public.orders"), false, false, false), m, Progress.none());
    assertEquals("100", count(side, "orders"));
    assertEquals("f", exists(side, "users"));
  }

  @Test
  void schemaOnlyThenDataOnly() {
    BackupManifest m = backUp();
    String side = side(null);
    RestoreRequest schema = partial(m, pg.url(side), List.of(), true, false, false);
    restore.checkTarget(schema);
    restore.restore(schema, m, Progress.none());
    assertEquals("0", count(side, "users"), "schema only: empty tables");
    assertEquals("0", count(side, "orders"));

    RestoreRequest data = partial(m, pg.url(side), List.of(), false, true, false);
    restore.checkTarget(data); // the schema is there: not refused as "not empty"
    restore.restore(data, m, Progress.none());
    assertEquals("20", count(side, "users"));
    assertEquals("100", count(side, "orders"));
  }

  @Test
  void inPlaceRestoreIntoTheConfiguredDatabase() {
    BackupManifest m = backUp();
    pg.exec(prod, "DELETE FROM users; DROP TABLE orders;");
    RestoreRequest inPlace = new RestoreRequest("prod", m.backupId(), null, null, 1, true);
    restore.checkTarget(inPlace);
    var result = restore.restore(inPlace, m, Progress.none());
    assertEquals(pg.url(prod), result.target());
    assertEquals("20", count(prod, "users"));
    assertEquals("100", count(prod, "orders"));

    ApplicationFailure notEmpty = assertThrows(ApplicationFailure.class,
        () -> restore.checkTarget(new RestoreRequest("prod", m.backupId(), null, null, 1, false)));
    assertEquals(ErrorCode.TARGET_NOT_EMPTY.name(), notEmpty.getType());
  }

  @Test
  void impossibleCombinationsAreRefusedBeforeAnythingIsTouched() {
    BackupManifest m = backUp();
    String side = side(null);
    ApplicationFailure both = assertThrows(ApplicationFailure.class,
        () -> restore.checkTarget(partial(m, pg.url(side), List.of(), true, true, false)));
    assertEquals(ErrorCode.TARGET_INVALID.name(), both.getType());
    assertTrue(both.isNonRetryable());
    LifeboatException cleanData = assertThrows(LifeboatException.class,
        () -> restore.restore(partial(m, pg.url(side), List.of(), false, true, true), m, Progress.none()));
    assertEquals(ErrorCode.TARGET_INVALID, cleanData.code());
    assertEquals("f", exists(side, "users"));

    assertInvalid(new RestoreOptions(1, false, List.of("a.x", "b.y"), false, false, false), "postgres", "mix");
    assertInvalid(new RestoreOptions(1, false, List.of("a.x", "y"), false, false, false), "postgres", "mix");
    assertInvalid(new RestoreOptions(1, false, List.of(".x"), false, false, false), "postgres", "not a table");
    assertInvalid(new RestoreOptions(1, false, List.of("x"), false, false, false), "sqlite", "PostgreSQL and MariaDB backups");
    assertInvalid(new RestoreOptions(1, false, List.of(), true, false, false), "sqlite", "PostgreSQL and MariaDB backups");
    new RestoreOptions(1, false, List.of("a.x", "a.y"), false, false, true).validate("postgres");
    RestoreOptions.whole(4, true).validate("sqlite");
  }

  static void assertInvalid(RestoreOptions options, String engine, String expected) {
    LifeboatException e = assertThrows(LifeboatException.class, () -> options.validate(engine));
    assertEquals(ErrorCode.TARGET_INVALID, e.code());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.hint() != null && !e.hint().isBlank());
  }
}
