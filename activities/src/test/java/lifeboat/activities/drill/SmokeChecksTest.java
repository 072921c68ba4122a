package lifeboat.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Metrics;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke checks against a real PostgreSQL database and a real SQLite file: every operator, failures, the probe. */
class SmokeChecksTest {
  static PgCluster pg;

  @TempDir Path dir;
  DrillFixture fx;

  @BeforeAll
  static void startServer() {
    pg = PgCluster.start();
    pg.createDatabase("shop");
    pg.exec("shop", String.join("\n",
        "CREATE TABLE users(id int PRIMARY KEY, name text);",
        "INSERT INTO users VALUES (1, 'alice'), (2, 'bob'), (3, 'o''hara');",
        "CREATE TABLE orders(id int, user_id int);",
        "INSERT INTO orders VALUES (1, 1), (2, 2), (3, 99);"));
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void fixture() throws IOException {
    fx = new DrillFixture(dir, pg, Metrics.none());
  }

  @AfterEach
  void cleanup() throws IOException {
    fx.close();
  }

  static SmokeCheck check(String name, String sql, String expect) {
    return new SmokeCheck(name, sql, expect, null);
  }

  @Test
  void everyOperatorFailuresAndTheProbeOnPostgres() {
    List<SmokeCheck> checks = List.of(
        check("users exist", "SELECT count(*) FROM users", "> 0"),
        check("eq", "SELECT count(*) FROM users", "= 3"),
        check("ne", "SELECT count(*) FROM users", "!= 4"),
        check("ge", "SELECT count(*) FROM users", ">= 3"),
        check("lt", "SELECT count(*) FROM users", "< 3.5"),
        check("le", "SELECT count(*) FROM users", "<= 3"),
        check("text", "SELECT name FROM users WHERE id = 3", "= 'o''hara'"),
        check("text ne", "SELECT name FROM users WHERE id = 1", "!= 'bob'"),
        check("no orphan orders",
            "SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL", "= 0"),
        check("missing table", "SELECT count(*) FROM nope", "> 0"),
        check("password in an error", "SELECT '" + pg.password() + "'::int", "= 1"),
        check("no row", "SELECT id FROM users WHERE id > 100", "= 1"),
        check("bad expectation", "SELECT 1", "~ 1"),
        check("runs, no expectation", "SELECT 1", null),
        new SmokeCheck("write and read back", null, null, true));
    AtomicInteger beats = new AtomicInteger();

    List<SmokeResult> results = fx.drills.smoke(new DbTarget("app", pg.url("shop"), "file:pgpass.txt"), checks,
        beats::incrementAndGet);

    assertEquals(checks.size(), results.size());
    assertEquals(checks.size(), beats.get(), "a heartbeat before every check");
    for (int i = 0; i < 8; i++) {
      assertTrue(results.get(i).passed(), results.get(i).toString());
      assertNull(results.get(i).detail());
    }
    assertEquals("3", results.get(1).actual());
    assertEquals("o'hara", results.get(6).actual());
    assertFailed(results.get(8), "expected = 0, got 1");
    assertFailed(results.get(9), "relation \"nope\" does not exist");
    assertTrue(results.get(9).detail().contains("SQLSTATE 42P01"), results.get(9).detail());
    assertFailed(results.get(10), "invalid input syntax");
    assertFalse(results.get(10).detail().contains(pg.password()), results.get(10).detail());
    assertFailed(results.get(11), "expected = 1, got no value");
    assertFailed(results.get(12), "is not an operator and a value");
    assertTrue(results.get(13).passed());
    SmokeResult probe = results.get(14);
    assertTrue(probe.passed(), probe.toString());
    assertEquals(probe.expect(), "= '" + probe.actual() + "'");
    assertEquals("0", pg.exec("shop", "SELECT count(*) FROM pg_tables WHERE tablename = 'lifeboat_drill_probe'"));
  }

  @Test
  void probeAndQueriesOnSqlite() throws Exception {
    Path file = SqliteFiles.sample(dir.resolve("restored.db"), 10);
    List<SmokeResult> results = fx.drills.smoke(new DbTarget("lite", file.toString(), null), List.of(
        check("items", "select count(*) from items", "= 10"),
        check("notes", "select count(*) from notes", "> 5"),
        new SmokeCheck(null, null, null, true)), () -> { });
    assertTrue(results.get(0).passed(), results.get(0).toString());
    assertFailed(results.get(1), "expected > 5, got 3");
    assertTrue(results.get(2).passed(), results.get(2).toString());
    assertEquals("write probe", results.get(2).name());
    try (var c = SqliteFiles.connect(file); var st = c.createStatement();
         var rs = st.executeQuery("select count(*) from sqlite_master where name = 'lifeboat_drill_probe'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "the probe drops its table");
    }
  }

  @Test
  void anUnreachableTargetFailsTheStepNotTheChecks() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> fx.drills.smoke(
        new DbTarget("lite", dir.resolve("never-restored.db").toString(), null), List.of(check("x", "select 1", null)),
        () -> { }));
    assertEquals(ErrorCode.BAD_URL, e.code());
    LifeboatException refused = assertThrows(LifeboatException.class, () -> fx.drills.smoke(
        new DbTarget("app", "postgresql://postgres@127.0.0.1:1/shop", null), List.of(), () -> { }));
    assertEquals(ErrorCode.DATABASE_UNREACHABLE, refused.code());
  }

  private static void assertFailed(SmokeResult r, String detail) {
    assertFalse(r.passed(), r.toString());
    assertTrue(r.detail() != null && r.detail().contains(detail), r.toString());
  }
}
