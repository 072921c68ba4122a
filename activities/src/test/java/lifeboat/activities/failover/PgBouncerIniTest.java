package lifeboat.activities.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;

/** The [databases] rewrite changes host and port of one entry and not one other byte. */
class PgBouncerIniTest {
  static final String INI = "; production bouncer\r\n[databases]\r\nreports = host=10.0.0.1 port=5432 dbname=reports\r\n"
      + "app = host=10.0.0.1 port=5432 dbname=app pool_size=20 password='it''s x'  \r\n"
      + ";app = host=old\r\n\r\n[pgbouncer]\r\napp = not a database\r\nlisten_port = 6432\r\n";

  @Test
  void onlyTheEntrysHostAndPortChange() {
    PgBouncerIni.Rewrite r = PgBouncerIni.pointAt(INI, "app", "10.0.0.2", 5433, "pgbouncer.ini");
    assertTrue(r.changed());
    assertEquals(INI.replace("app = host=10.0.0.1 port=5432", "app = host=10.0.0.2 port=5433"), r.content());
    assertEquals("host=10.0.0.1 port=5432 dbname=app pool_size=20 password='it''s x'", r.previous());
    PgBouncerIni.Rewrite again = PgBouncerIni.pointAt(r.content(), "app", "10.0.0.2", 5433, "pgbouncer.ini");
    assertFalse(again.changed());
    assertEquals(r.content(), again.content());
  }

  @Test
  void missingHostAndPortAreAdded() {
    assertEquals("dbname=app host=db2 port=5432", PgBouncerIni.withHostPort("dbname=app", "db2", 5432));
  }

  @Test
  void anEntryThatIsNotThereNamesTheOnesThatAre() {
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> PgBouncerIni.pointAt(INI, "billing", "h", 1, "/etc/pgbouncer/pgbouncer.ini"));
    assertEquals(ErrorCode.FAILOVER_INVALID, e.code());
    assertTrue(e.getMessage().contains("(entries: reports, app)"), e.getMessage());
  }
}
