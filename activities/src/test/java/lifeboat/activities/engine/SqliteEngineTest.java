package lifeboat.activities.engine;

import static lifeboat.activities.testing.SqliteFiles.connect;
import static lifeboat.activities.testing.SqliteFiles.count;
import static lifeboat.activities.testing.SqliteFiles.sample;
import static lifeboat.activities.testing.SqliteFiles.sql;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SqliteEngine against real database files. */
class SqliteEngineTest {
  private final SqliteEngine engine = new SqliteEngine();

  @TempDir Path dir;

  private byte[] dump(Path file) throws IOException {
    try (Dump d = engine.startDump(DbConnection.sqlite(file.toString()))) {
      byte[] bytes = d.stream().readAllBytes();
      d.finish();
      return bytes;
    }
  }

  @Test
  void dumpRestoreRoundTrip() throws Exception {
    Path source = sample(dir.resolve("app.db"), 1000);
    byte[] dump = dump(source);
    Path target = dir.resolve("restored/app.db");

    assertTrue(engine.isEmpty(DbConnection.sqlite(target.toString())));
    String check = engine.restore(new ByteArrayInputStream(dump), DbConnection.sqlite(target.toString()), 1, false);

    assertEquals("integrity ok, 2 tables", check);
    assertEquals(1000, count(target, "items"));
    assertEquals(3, count(target, "notes"));
    assertFalse(engine.isEmpty(DbConnection.sqlite(target.toString())));
    assertEquals("integrity ok, 2 tables", engine.inspect(new ByteArrayInputStream(dump)));
    try (var files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no staged file left beside the target");
    }
  }

  @Test
  void snapshotIsConsistentWhileAWriteTransactionIsOpen() throws Exception {
    Path source = sample(dir.resolve("live.db"), 100);
    sql(source, "pragma journal_mode=wal");
    try (Connection writer = connect(source); Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.executeUpdate("insert into items(name) values ('uncommitted 1'), ('uncommitted 2')");
      s.executeUpdate("delete from notes");

      byte[] dump = dump(source); // the writer still holds its transaction open

      Path restored = dir.resolve("snapshot.db");
      engine.restore(new ByteArrayInputStream(dump), DbConnection.sqlite(restored.toString()), 1, false);
      assertEquals(100, count(restored, "items"), "uncommitted inserts are not in the snapshot");
      assertEquals(3, count(restored, "notes"), "uncommitted deletes are not in the snapshot");
      writer.commit();
    }
    assertEquals(102, count(source, "items"), "the writer's transaction was not disturbed");
    assertEquals(0, count(source, "notes"));
  }

  @Test
  void snapshotWithRollbackJournalWriterHoldingReservedLock() throws Exception {
    Path source = sample(dir.resolve("journal.db"), 50);
    try (Connection writer = connect(source); Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.executeUpdate("update items set name = 'changed'");
      byte[] dump = dump(source);
      Path restored = dir.resolve("journal-snapshot.db");
      engine.restore(new ByteArrayInputStream(dump), DbConnection.sqlite(restored.toString()), 1, false);
      try (Connection c = connect(restored); Statement q = c.createStatement();
           ResultSet rs = q.executeQuery("select count(*) from items where name = 'changed'")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
      writer.rollback();
    }
  }

  @Test
  void missingSourceFileIsBadUrlAndCreatesNothing() {
    Path missing = dir.resolve("typo.db");
    DbConnection db = DbConnection.sqlite(missing.toString());
    for (var call : new org.junit.jupiter.api.function.Executable[] {
        () -> engine.serverVersion(db), () -> engine.startDump(db)}) {
      LifeboatException e = assertThrows(LifeboatException.class, call);
      assertEquals(ErrorCode.BAD_URL, e.code());
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
    assertFalse(Files.exists(missing), "sqlite-jdbc must not have created an empty database");
  }

  @Test
  void serverVersionAndSchemaVersion() throws Exception {
    Path source = sample(dir.resolve("v.db"), 1);
    sql(source, "pragma user_version = 7");
    DbConnection db = DbConnection.sqlite(source.toString());
    assertTrue(engine.serverVersion(db).matches("3\\.\\d+\\.\\d+"), engine.serverVersion(db));
    assertEquals("7", engine.schemaVersion(db, "pragma user_version"));
    assertEquals(null, engine.schemaVersion(db, null));
    LifeboatException e = assertThrows(LifeboatException.class, () -> engine.schemaVersion(db, "select nope"));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
  }

  @Test
  void isEmpty() throws Exception {
    assertTrue(engine.isEmpty(DbConnection.sqlite(dir.resolve("absent.db").toString())));
    Path zero = Files.createFile(dir.resolve("zero.db"));
    assertTrue(engine.isEmpty(DbConnection.sqlite(zero.toString())));
    Path noTables = dir.resolve("no-tables.db");
    sql(noTables, "pragma user_version = 1");
    assertTrue(engine.isEmpty(DbConnection.sqlite(noTables.toString())));
    Path full = sample(dir.resolve("full.db"), 1);
    assertFalse(engine.isEmpty(DbConnection.sqlite(full.toString())));
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a database at all, just some text\n".repeat(50));
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> engine.isEmpty(DbConnection.sqlite(text.toString())));
    assertEquals(ErrorCode.TARGET_INVALID, e.code());
  }

  @Test
  void cleanRestoreReplacesExistingFileAndRemovesStaleWal() throws Exception {
    Path source = sample(dir.resolve("src.db"), 10);
    byte[] dump = dump(source);
    Path target = dir.resolve("target.db");
    sql(target, "create table old_stuff(x)", "insert into old_stuff values (1)");
    Path wal = Path.of(target + "-wal");
    Path shm = Path.of(target + "-shm");
    Files.write(wal, new byte[4096]);
    Files.write(shm, new byte[4096]);

    String check = engine.restore(new ByteArrayInputStream(dump), DbConnection.sqlite(target.toString()), 1, true);

    assertEquals("integrity ok, 2 tables", check);
    assertFalse(Files.exists(wal));
    assertFalse(Files.exists(shm));
    assertEquals(10, count(target, "items"));
    try (Connection c = connect(target); ResultSet rs = c.getMetaData().getTables(null, null, "old_stuff", null)) {
      assertFalse(rs.next(), "the old database was replaced, not merged into");
    }
  }

  @Test
  void restoringGarbageFailsAndLeavesTheTargetUntouched() throws Exception {
    Path target = sample(dir.resolve("keep.db"), 5);
    byte[] before = Files.readAllBytes(target);
    // an empty stream opens as an empty database: a clean restore of it would have wiped the target
    for (byte[] garbage : new byte[][] {new byte[0], "not sqlite ".repeat(500).getBytes(StandardCharsets.UTF_8)}) {
      LifeboatException e = assertThrows(LifeboatException.class, () ->
          engine.restore(new ByteArrayInputStream(garbage), DbConnection.sqlite(target.toString()), 1, true));
      assertEquals(ErrorCode.CORRUPT_BACKUP, e.code());
      assertArrayEquals(before, Files.readAllBytes(target));
    }
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no staged file left behind");
    }
  }

  @Test
  void inspectOfGarbageIsCorruptBackup() {
    for (byte[] garbage : new byte[][] {new byte[0], "garbage".repeat(1000).getBytes(StandardCharsets.UTF_8)}) {
      LifeboatException e = assertThrows(LifeboatException.class,
          () -> engine.inspect(new ByteArrayInputStream(garbage)));
      assertEquals(ErrorCode.CORRUPT_BACKUP, e.code(), e.getMessage());
    }
  }

  @Test
  void inspectOfATruncatedDumpIsCorruptBackup() throws Exception {
    byte[] dump = dump(sample(dir.resolve("big.db"), 20_000));
    byte[] truncated = java.util.Arrays.copyOf(dump, dump.length / 2);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream(truncated)));
    assertEquals(ErrorCode.CORRUPT_BACKUP, e.code(), e.getMessage());
  }
}
