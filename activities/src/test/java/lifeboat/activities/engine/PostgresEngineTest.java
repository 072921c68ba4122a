package lifeboat.activities.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** PostgresEngine against a real throwaway cluster: no mocks. */
class PostgresEngineTest {
  private static final String READER_PASSWORD = "reader-Secr3t-pw";
  private static final AtomicInteger DB_SEQ = new AtomicInteger();
  private static final List<String> TABLES = List.of("schema_version", "items", "owned", "secret");

  private static PgCluster pg;
  private static byte[] dump;
  private final PostgresEngine engine = new PostgresEngine();

  @BeforeAll
  static void startCluster() {
    pg = PgCluster.start();
    pg.createDatabase("src");
    pg.exec("src", String.join("\n",
        "CREATE ROLE reader LOGIN PASSWORD '" + READER_PASSWORD + "';",
        "CREATE TABLE schema_version(v int);",
        "INSERT INTO schema_version VALUES (1), (2), (3);",
        "CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL);",
        "CREATE INDEX items_name ON items(name);",
        "INSERT INTO items(name) SELECT 'item ' || g FROM generate_series(1, 100) g;",
        "CREATE SEQUENCE counter; SELECT setval('counter', 42);",
        "CREATE VIEW item_names AS SELECT name FROM items;",
        "CREATE TABLE owned(a int); ALTER TABLE owned OWNER TO reader;",
        "INSERT INTO owned SELECT generate_series(1, 5);",
        "CREATE TABLE secret(x int); INSERT INTO secret VALUES (7);",
        "GRANT SELECT ON schema_version, items, item_names TO reader;",
        "REVOKE ALL ON secret FROM PUBLIC;"));
    dump = dumpBytes(conn("src"));
  }

  @AfterAll
  static void stopCluster() {
    if (pg != null) {
      pg.close();
    }
  }

  private static DbConnection conn(String db) {
    return DbConnection.postgres(pg.url(db), pg.password());
  }

  private static String freshDb() {
    String name = "t" + DB_SEQ.incrementAndGet();
    pg.createDatabase(name);
    return name;
  }

  private static String counts(String db) {
    StringBuilder sb = new StringBuilder();
    for (String t : TABLES) {
      sb.append(t).append('=').append(pg.exec(db, "SELECT count(*) FROM " + t)).append(' ');
    }
    return sb.toString();
  }

  private void assertRestored(String db, String check) {
    assertEquals("4 tables", check);
    assertEquals(counts("src"), counts(db));
    assertEquals("43", pg.exec(db, "SELECT nextval('counter')"));
    assertEquals("100", pg.exec(db, "SELECT count(*) FROM item_names"));
    assertEquals("reader", pg.exec(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'owned'"));
    assertEquals("1", pg.exec(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name'"));
  }

  @Test
  void dumpStreamsIntoARestoreOnAFreshDatabase() {
    String db = freshDb();
    assertTrue(engine.isEmpty(conn(db)));
    try (Dump d = engine.startDump(conn("src"))) {
      String check = engine.restore(d.stream(), conn(db), 1, false);
      d.finish();
      assertRestored(db, check);
    }
    assertFalse(engine.isEmpty(conn(db)));
  }

  @Test
  void parallelRestoreStagesTheStream() {
    String db = freshDb();
    assertRestored(db, engine.restore(new ByteArrayInputStream(dump), conn(db), 2, false));
    assertTrue(pg.exec(db, "SELECT 1").equals("1"));
  }

  @Test
  void cleanRestoreReplacesANonEmptyTarget() {
    String db = freshDb();
    engine.restore(new ByteArrayInputStream(dump), conn(db), 1, false);
    pg.exec(db, "INSERT INTO items(name) VALUES ('extra'); DELETE FROM owned;");
    assertRestored(db, engine.restore(new ByteArrayInputStream(dump), conn(db), 1, true));
    String db2 = freshDb();
    engine.restore(new ByteArrayInputStream(dump), conn(db2), 1, false);
    pg.exec(db2, "DELETE FROM items;");
    assertRestored(db2, engine.restore(new ByteArrayInputStream(dump), conn(db2), 3, true));
  }

  @Test
  void restoreOverExistingTablesWithoutCleanFails() {
    String db = freshDb();
    engine.restore(new ByteArrayInputStream(dump), conn(db), 1, false);
    LifeboatException e = expect(ErrorCode.RESTORE_FAILED,
        () -> engine.restore(new ByteArrayInputStream(dump), conn(db), 1, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void restoreOfATruncatedDumpFailsWithPgRestoreMessage() {
    String db = freshDb();
    byte[] half = Arrays.copyOf(dump, dump.length / 2);
    LifeboatException e = expect(ErrorCode.RESTORE_FAILED,
        () -> engine.restore(new ByteArrayInputStream(half), conn(db), 1, false));
    assertTrue(e.getMessage().startsWith("pg_restore exited with status 1"), e.getMessage());
  }

  @Test
  void restoreIntoAMissingDatabaseIsBadUrl() {
    expect(ErrorCode.BAD_URL,
        () -> engine.restore(new ByteArrayInputStream(dump), conn("no_such_db"), 1, false));
    expect(ErrorCode.BAD_URL, () -> engine.serverVersion(conn("no_such_db")));
  }

  @Test
  void versions() {
    assertTrue(engine.serverVersion(conn("src")).startsWith("15"));
    assertEquals("3", engine.schemaVersion(conn("src"), "select max(v) from schema_version"));
    assertNull(engine.schemaVersion(conn("src"), null));
    LifeboatException e = expect(ErrorCode.CONFIG_INVALID,
        () -> engine.schemaVersion(conn("src"), "select max(v) from no_such_table"));
    assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
  }

  @Test
  void wrongPasswordIsAuthFailedWithoutThePassword() {
    String wrong = "Wr0ng-pa55word";
    DbConnection bad = DbConnection.postgres(pg.url("src"), wrong);
    assertFalse(expect(ErrorCode.AUTH_FAILED, () -> engine.serverVersion(bad)).userMessage().contains(wrong));
    LifeboatException e = expect(ErrorCode.AUTH_FAILED, () -> dumpBytes(bad));
    assertFalse(e.userMessage().contains(wrong), e.userMessage());
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    // a password embedded in the URL is moved to PGPASSWORD and redacted as well
    DbConnection inUrl = DbConnection.postgres(
        "postgresql://postgres:" + wrong + "@127.0.0.1:" + pg.port() + "/src", null);
    assertFalse(expect(ErrorCode.AUTH_FAILED, () -> dumpBytes(inUrl)).userMessage().contains(wrong));
  }

  @Test
  void unknownHostAndMalformedUrlsAreBadUrl() {
    DbConnection unknown = DbConnection.postgres("postgresql://postgres@no-such-host.invalid:5432/x", "pw");
    expect(ErrorCode.BAD_URL, () -> engine.serverVersion(unknown));
    expect(ErrorCode.BAD_URL, () -> dumpBytes(unknown));
    for (String url : List.of("postgresql://postgres@127.0.0.1:notaport/db", "mysql://root@127.0.0.1/db",
        "postgresql://postgres@127.0.0.1:" + 5432 + "/db?sslmode")) {
      DbConnection malformed = DbConnection.postgres(url, "pw");
      expect(ErrorCode.BAD_URL, () -> engine.serverVersion(malformed));
      expect(ErrorCode.BAD_URL, () -> engine.startDump(malformed));
    }
    DbConnection badOption = DbConnection.postgres(pg.url("src") + "?no_such_option=1", pg.password());
    expect(ErrorCode.BAD_URL, () -> dumpBytes(badOption));
  }

  @Test
  void closedPortIsUnreachableAndFast() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DbConnection closed = DbConnection.postgres("postgresql://postgres@127.0.0.1:" + port + "/x", "pw");
    long t0 = System.nanoTime();
    expect(ErrorCode.DATABASE_UNREACHABLE, () -> engine.serverVersion(closed));
    expect(ErrorCode.DATABASE_UNREACHABLE, () -> dumpBytes(closed));
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "took too long");
  }

  @Test
  void dumpThatHitsAnUnreadableTableFailsInFinish() {
    DbConnection reader = DbConnection.postgres(
        "postgresql://reader@127.0.0.1:" + pg.port() + "/src", READER_PASSWORD);
    LifeboatException e = expect(ErrorCode.PERMISSION_DENIED, () -> dumpBytes(reader));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    assertFalse(e.userMessage().contains(READER_PASSWORD));
  }

  @Test
  void killedDumpFailsInFinish() throws IOException {
    String db = freshDb();
    pg.exec(db, "CREATE TABLE big AS SELECT g, md5(g::text) AS h FROM generate_series(1, 300000) g");
    try (Dump d = engine.startDump(conn(db))) {
      InputStream in = d.stream();
      assertEquals(4096, in.readNBytes(4096).length);
      ProcessHandle.current().children()
          .filter(ph -> ph.info().command().orElse("").endsWith("pg_dump"))
          .forEach(ProcessHandle::destroyForcibly);
      try {
        in.readAllBytes();
      } catch (IOException expected) {
        // the pipe may break instead of ending
      }
      LifeboatException e = assertThrows(LifeboatException.class, d::finish);
      assertEquals(ErrorCode.DUMP_FAILED, e.code());
      assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
    }
  }

  @Test
  void finishWithoutReadingEverythingFails() throws IOException {
    String db = freshDb();
    pg.exec(db, "CREATE TABLE big AS SELECT g, md5(g::text) AS h FROM generate_series(1, 300000) g");
    try (Dump d = engine.startDump(conn(db))) {
      d.stream().readNBytes(10);
      expect(ErrorCode.DUMP_FAILED, d::finish);
    }
  }

  @Test
  void inspect() {
    String ok = engine.inspect(new ByteArrayInputStream(dump));
    assertTrue(ok.matches("pg_restore -l: \\d+ entries"), ok);
    assertTrue(Integer.parseInt(ok.replaceAll("\\D", "")) >= 15, ok);
    expect(ErrorCode.CORRUPT_BACKUP,
        () -> engine.inspect(new ByteArrayInputStream(Arrays.copyOf(dump, dump.length - 20))));
    expect(ErrorCode.CORRUPT_BACKUP,
        () -> engine.inspect(new ByteArrayInputStream(Arrays.copyOf(dump, 300))));
    expect(ErrorCode.CORRUPT_BACKUP,
        () -> engine.inspect(new ByteArrayInputStream("not a dump at all".getBytes())));
  }

  @Test
  void dumpIsDeterministicEnoughToRoundTrip() {
    String db = freshDb();
    engine.restore(new ByteArrayInputStream(dump), conn(db), 1, false);
    byte[] again = dumpBytes(conn(db));
    assertTrue(again.length > 1000);
    assertArrayEquals(Arrays.copyOf(dump, 5), Arrays.copyOf(again, 5)); // "PGDMP"
  }

  /** A whole dump, read to the end and finished. */
  private static byte[] dumpBytes(DbConnection db) {
    try (Dump d = new PostgresEngine().startDump(db)) {
      byte[] bytes = d.stream().readAllBytes();
      d.finish();
      return bytes;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static LifeboatException expect(ErrorCode code, Executable action) {
    LifeboatException e = assertThrows(LifeboatException.class, action);
    assertEquals(code, e.code(), e.userMessage());
    return e;
  }
}
