package lifeboat.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.runbook.SmokeCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke checks on a real MariaDB server: Jdbc.open reaches it through Connector/J; a wrong password is AUTH_FAILED. */
class MariaDbSmokeChecksTest {
  static MariaDbServer maria;

  @BeforeAll
  static void start() {
    maria = MariaDbServer.start();
    maria.createDatabase("app");
    maria.exec("app", "CREATE TABLE t (id int primary key); INSERT INTO t VALUES (1),(2),(3);");
  }

  @AfterAll
  static void stop() {
    maria.close();
  }

  @Test
  void queryProbeAndAWrongAnswerAreReported() {
    List<SmokeResult> r = SmokeChecks.run(DbConnection.mariadb(maria.url("app"), maria.password()), List.of(
        new SmokeCheck("rows", "SELECT count(*) FROM t", "= 3", null),
        new SmokeCheck("probe", null, null, true),
        new SmokeCheck("wrong", "SELECT count(*) FROM t", "= 4", null)), () -> { });
    assertTrue(r.get(0).passed(), r.get(0).toString());
    assertEquals("3", r.get(0).actual());
    assertTrue(r.get(1).passed(), r.get(1).toString());
    assertFalse(r.get(2).passed());
    assertEquals("0", maria.exec("app", "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'app'"
        + " AND table_name = '" + SmokeChecks.PROBE_TABLE + "'"));
  }

  @Test
  void aWrongPasswordFailsTheStepAsAuthFailedWithoutEchoingIt() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> SmokeChecks.run(
        DbConnection.mariadb(maria.url("app"), "not-the-password"), List.of(), () -> { }));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
    assertFalse(e.getMessage().contains("not-the-password"));
  }
}
