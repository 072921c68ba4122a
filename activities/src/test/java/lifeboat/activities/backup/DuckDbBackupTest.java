package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Dump;
import lifeboat.activities.engine.DuckDbEngine;
import lifeboat.activities.engine.RestoreOptions;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.DuckDbFiles;
import lifeboat.workflows.model.BackupManifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the DuckDB engine does, on real DuckDB files (the shared round trip, corrupt object, wrong key... are
 * BackupRestoreActivitiesTest's DUCKDB kind): the staged export, its size in the manifest and its removal
 * whatever happens, a staged export broken half-way, a file another process writes, a target left untouched by a
 * failed restore, and a crafted tar that reaches outside its folder.
 */
class DuckDbBackupTest {
  static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir Path dir;
  @TempDir Path staging;
  Workspace workspace;
  BackupActivitiesImpl backup;
  DuckDbEngine engine;

  @BeforeEach
  void workspace() throws Exception {
    DuckDbFiles.sample(dir.resolve("duck.db"), 1000);
    DuckDbFiles.sql(dir.resolve("big.db"), "CREATE TABLE wide AS SELECT i, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS a,"
        + " sha256(i::VARCHAR) AS b FROM range(400000) t(i)");
    Path config = dir.resolve("lifeboat.yaml");
    Files.writeString(config, """
        repositories:
          local:
            type: filesystem
            path: repo
        databases:
          duck:
            engine: duckdb
            path: duck.db
            repository: local
            encryption: none
          big:
            engine: duckdb
            path: big.db
            repository: local
            encryption: none
          missing:
            engine: duckdb
            path: nothing-here.db
            repository: local
            encryption: none
          notduck:
            engine: duckdb
            path: lifeboat.yaml
            repository: local
            encryption: none
        """);
    workspace = Workspace.fromFile(config);
    backup = new BackupActivitiesImpl(workspace);
    engine = new DuckDbEngine(staging);
  }

  BackupManifest backUp(String database, Progress progress) {
    return backup.dump(database, "20250101T000000Z-" + SEQ.incrementAndGet(), null, progress);
  }

  /** The version a runbook's schemaVersionQuery reads; a failing query is the user's to fix, not retried. */
  @Test
  void theSchemaVersionQueryReadsTheFileAndAFailingOneIsAConfigError() throws Exception {
    Path file = dir.resolve("versioned.duckdb");
    DuckDbFiles.sql(file, "CREATE TABLE schema_version(v int); INSERT INTO schema_version VALUES (3), (7)");
    DbConnection db = DbConnection.duckdb(file.toString());
    assertEquals("7", engine.schemaVersion(db, "SELECT max(v) FROM schema_version"));
    assertEquals(null, engine.schemaVersion(db, null));
    LifeboatException e = assertThrows(LifeboatException.class, () -> engine.schemaVersion(db, "SELECT nope"));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code(), e.getMessage());
    LifeboatException missing = assertThrows(LifeboatException.class, () -> engine.schemaVersion(
        DbConnection.duckdb(dir.resolve("absent.duckdb").toString()), "SELECT 1"));
    assertEquals(ErrorCode.BAD_URL, missing.code(), missing.getMessage());
  }

  @Test
  void theManifestSaysWhatWasStagedAndNothingStaysStaged() throws IOException {
    BackupManifest m = backUp("duck", Progress.none());
    assertEquals("export-database", m.snapshot().consistency());
    assertTrue(m.snapshot().stagedBytes() > 0, "staged bytes: " + m.snapshot().stagedBytes());
    assertTrue(m.rawBytes() > m.snapshot().stagedBytes(), "the tar holds the staged files and its headers");
    assertEquals(List.of(), ourStagings(Path.of(System.getProperty("java.io.tmpdir"))));
  }

  @Test
  void anExportBrokenHalfWayFailsTheBackupPublishesNothingAndIsRemoved() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    AtomicInteger truncated = new AtomicInteger();
    // At the first bytes stored the tar writer is blocked on its pipe inside the big Parquet file: cut the staged
    // files short, as a full disk or a cleaner would.
    Progress breaker = new Progress(bytes -> {
      if (truncated.get() == 0) {
        for (Path staged : ourStagings(tmp)) {
          try (Stream<Path> files = Files.walk(staged)) {
            files.filter(p -> p.toString().endsWith(".parquet")).forEach(p -> truncate(p, truncated));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }, 0);
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("big", breaker));
    assertTrue(truncated.get() > 0, "the staged export was found while it streamed");
    assertEquals(ErrorCode.DUMP_FAILED, e.code(), e.userMessage());
    assertEquals(List.of(), BackupRestoreActivitiesTest.filesUnder(dir.resolve("repo/backups")),
        "no object, no partial file");
    assertEquals(List.of(), ourStagings(tmp), "the staging folder is removed");
  }

  @Test
  void aFileAnotherProcessWritesIsDatabaseLockedAndRetried() throws Exception {
    Process holder = holdOpenForWriting(dir.resolve("duck.db"));
    try {
      LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("duck", Progress.none()));
      assertEquals(ErrorCode.DATABASE_LOCKED, e.code(), e.userMessage());
      assertFalse(e.code().userFixable(), "retried: the writer may close the file");
      assertTrue(e.hint().contains("writer closes it"), e.hint());
    } finally {
      holder.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    assertEquals("export-database", backUp("duck", Progress.none()).snapshot().consistency(),
        "the retry after the writer closed it succeeds");
  }

  @Test
  void aMissingFileOrAFileThatIsNotDuckDbFailsFastWithoutCreatingAnything() {
    LifeboatException missing = assertThrows(LifeboatException.class, () -> backUp("missing", Progress.none()));
    assertEquals(ErrorCode.BAD_URL, missing.code());
    assertFalse(Files.exists(dir.resolve("nothing-here.db")), "DuckDB would have created it");
    LifeboatException notDuck = assertThrows(LifeboatException.class, () -> backUp("notduck", Progress.none()));
    assertEquals(ErrorCode.BAD_URL, notDuck.code(), notDuck.userMessage());
  }

  @Test
  void aFolderAKilledWorkerLeftIsRemovedByTheNextExportAndALiveOnesIsNot() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path abandoned = Files.createDirectories(staging.resolve("lifeboat-duckdb-export-" + gone.pid() + "-1234"));
    Files.writeString(abandoned.resolve("items.parquet"), "left behind");
    Path live = Files.createDirectories(staging.resolve("lifeboat-duckdb-export-" + ProcessHandle.current().pid()
        + "-5678"));
    Path notOurs = Files.createDirectories(staging.resolve("someone-else"));
    try (Dump dump = engine.startDump(DbConnection.duckdb(dir.resolve("duck.db").toString()))) {
      dump.stream().transferTo(java.io.OutputStream.nullOutputStream());
      dump.finish();
    }
    assertFalse(Files.exists(abandoned));
    assertTrue(Files.exists(live), "a running worker's export is not swept from under it");
    assertTrue(Files.exists(notOurs));
  }

  @Test
  void aRestoreThatFailsLeavesTheTargetAsItWasAndNothingBesideIt() throws Exception {
    Path target = DuckDbFiles.sample(Files.createDirectories(dir.resolve("target")).resolve("existing.duckdb"), 5);
    byte[] whole = export(dir.resolve("duck.db"));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    for (byte[] broken : List.of(cut, tar("export/schema.sql", "CREATE TABLE t(a INT);"))) {
      LifeboatException e = assertThrows(LifeboatException.class, () -> engine.restore(new ByteArrayInputStream(broken),
          DbConnection.duckdb(target.toString()), RestoreOptions.whole(1, true)));
      assertTrue(e.code() == ErrorCode.CORRUPT_BACKUP || e.code() == ErrorCode.RESTORE_FAILED, e.userMessage());
      assertEquals("5", DuckDbFiles.value(target, "SELECT count(*) FROM items"), "the target is untouched");
      try (Stream<Path> beside = Files.list(target.getParent())) {
        assertEquals(List.of(target), beside.toList(), "no staged file or folder is left beside it");
      }
    }
    assertTrue(engine.restore(new ByteArrayInputStream(whole), DbConnection.duckdb(target.toString()),
        RestoreOptions.whole(1, true)).startsWith("imported: 3 tables, 1004 rows"));
    assertEquals("1000", DuckDbFiles.value(target, "SELECT count(*) FROM items"));
    assertEquals("100", DuckDbFiles.value(target, "SELECT nextval('ticket')"), "the sequence came along");
    assertEquals("14", DuckDbFiles.value(target, "SELECT twice(7)"), "the macro came along");
  }

  @Test
  void inspectReadsEveryTableAndRefusesACraftedOrBrokenExport() throws Exception {
    byte[] whole = export(dir.resolve("duck.db"));
    assertEquals("export ok: schema.sql runs, 3 tables, 1004 rows read", engine.inspect(new ByteArrayInputStream(whole)));
    Path outside = dir.getParent().resolve("evil-" + SEQ.incrementAndGet());
    byte[] escaping = tar("export/../../" + outside.getFileName(), "pwned");
    assertEquals(ErrorCode.CORRUPT_BACKUP, assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream(escaping))).code());
    assertFalse(Files.exists(outside), "nothing was written outside the staging folder");
    byte[] notTar = "hello, not a tar".getBytes(StandardCharsets.UTF_8);
    assertEquals(ErrorCode.CORRUPT_BACKUP, assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream(notTar))).code());
    byte[] missingTable = tar("export/schema.sql", "CREATE TABLE t(a INT);", "export/load.sql",
        "COPY t FROM '/somewhere/t.parquet' (FORMAT 'parquet');");
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream(missingTable)));
    assertEquals(ErrorCode.CORRUPT_BACKUP, e.code());
    assertTrue(e.userMessage().contains("t.parquet"), e.userMessage());
    try (Stream<Path> left = Files.list(staging)) {
      assertEquals(List.of(), left.toList(), "every verification folder is removed");
    }
  }

  byte[] export(Path file) throws IOException {
    try (Dump dump = engine.startDump(DbConnection.duckdb(file.toString())); InputStream in = dump.stream()) {
      byte[] all = in.readAllBytes();
      dump.finish();
      return all;
    }
  }

  /** A tar of the given name/content pairs. */
  static byte[] tar(String... namesAndContents) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(namesAndContents[i], true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  /** This JVM's staging folders in {@code root}. */
  static List<Path> ourStagings(Path root) {
    try (Stream<Path> all = Files.list(root)) {
      return all.filter(p -> p.getFileName().toString().startsWith("lifeboat-duckdb-export-"
          + ProcessHandle.current().pid() + "-")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void truncate(Path file, AtomicInteger count) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(16);
      count.incrementAndGet();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Another JVM that opens the file for writing and holds it until killed; returns once it holds it. */
  Process holdOpenForWriting(Path file) throws IOException, InterruptedException, SQLException {
    Path source = dir.resolve("Hold.java");
    Files.writeString(source, """
        public class Hold {
          public static void main(String[] a) throws Exception {
            java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + a[0]);
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(600_000);
          }
        }
        """);
    String jar = Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", jar, source.toString(), file.toString()).redirectErrorStream(true)
        .start();
    String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    assertEquals("holding", line, "the holder opened the file");
    return p;
  }
}
