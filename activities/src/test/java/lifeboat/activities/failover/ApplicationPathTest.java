package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application-path write probe against a real server: it proves a committed write, and it never leaves its
 * probe table in the production database, whatever fails (here the DROP, refused by an event trigger).
 */
class ApplicationPathTest {
  private static final String PROBE_TABLES =
      "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'lifeboat_failover_probe%'";
  private static PgCluster pg;

  @BeforeAll
  static void start() throws Exception {
    pg = PgCluster.start();
    pg.createDatabase("app");
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static DbConnection app() {
    return DbConnection.postgres(pg.url("app"), pg.password());
  }

  @Test
  void aWritableServerPassesAndKeepsNoProbeTable() {
    var verified = ApplicationPath.verify(app());
    assertTrue(verified.serverAddress().endsWith(":" + pg.port()), verified.toString());
    assertEquals("0", pg.exec("app", PROBE_TABLES));
  }

  @Test
  void aRefusedDropFailsTheProbeAndLeavesNoTable() {
    pg.exec("app", """
        CREATE FUNCTION refuse_probe_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() WHERE object_identity LIKE '%lifeboat_failover_probe%') THEN
            RAISE EXCEPTION 'drops of probe tables are refused here';
          END IF;
        END $$;
        CREATE EVENT TRIGGER refuse_probe_drop ON sql_drop EXECUTE FUNCTION refuse_probe_drop();
        """);
    try {
      LifeboatException e = assertThrows(LifeboatException.class, () -> ApplicationPath.verify(app()));
      assertEquals(ErrorCode.FAILOVER_VERIFY_FAILED, e.code());
      assertTrue(e.getMessage().contains("drops of probe tables are refused here"), e.getMessage());
      assertEquals("0", pg.exec("app", PROBE_TABLES), "the probe's table must not stay in production");
    } finally {
      pg.exec("app", "DROP EVENT TRIGGER refuse_probe_drop; DROP FUNCTION refuse_probe_drop()");
    }
  }

  @Test
  void aReadOnlyServerFailsTheProbeAndLeavesNoTable() {
    pg.exec("postgres", "ALTER DATABASE app SET default_transaction_read_only = on");
    try {
      LifeboatException e = assertThrows(LifeboatException.class, () -> ApplicationPath.verify(app()));
      assertEquals(ErrorCode.FAILOVER_VERIFY_FAILED, e.code());
      assertTrue(e.getMessage().contains("read-only transaction"), e.getMessage());
    } finally {
      pg.exec("postgres", "ALTER DATABASE app RESET default_transaction_read_only");
    }
    assertEquals("0", pg.exec("app", PROBE_TABLES));
  }
}
