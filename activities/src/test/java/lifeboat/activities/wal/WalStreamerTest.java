package lifeboat.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.testing.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL stream against a real cluster: what the server wrote is what the archive holds, with no gap. */
class WalStreamerTest {
  private static PgCluster pg;
  @TempDir Path dir;

  @BeforeAll
  static void startCluster() {
    pg = PgCluster.start();
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
  }

  @AfterAll
  static void stopCluster() {
    pg.close();
  }

  private WalArchive archive(String database) throws Exception {
    return new WalArchive(new FilesystemRepository(Files.createDirectories(dir.resolve("repo"))), database,
        List.of(), 1);
  }

  private static CompletableFuture<WalStreamer.Outcome> streamFor(WalArchive archive, String database, String slot,
      Duration runFor) {
    DbConnection db = DbConnection.postgres(pg.url("app"), pg.password());
    return CompletableFuture.supplyAsync(() -> WalStreamer.stream(db, archive, database,
        new WalStreamer.Settings(slot, Duration.ofMillis(300), runFor), () -> { }));
  }

  /** Writes rows and ends the segment: one more full segment for the archive. */
  private static void writeAndSwitch(int rows) {
    pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, " + rows + ") g;"
        + " SELECT pg_switch_wal();");
  }

  private static byte[] serverSegment(String name) throws Exception {
    return Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(name));
  }

  @Test
  void everySegmentTheServerFinishedIsArchivedAsItIsAndTheOneBeingWrittenAsFarAsItGot() throws Exception {
    WalArchive archive = archive("app");
    CompletableFuture<WalStreamer.Outcome> run = streamFor(archive, "app", "lifeboat_test_full", Duration.ofSeconds(6));
    Thread.sleep(1000);
    for (int i = 0; i < 3; i++) {
      writeAndSwitch(2000);
    }
    pg.exec("app", "INSERT INTO t(note) VALUES ('after the last switch')");
    WalStreamer.Outcome outcome = run.get(60, TimeUnit.SECONDS);
    assertTrue(outcome.segmentsStored() >= 3, outcome.toString());

    List<WalArchive.Entry> entries = archive.list();
    List<WalArchive.Entry> segments = entries.stream().filter(WalArchive.Entry::isSegment).toList();
    assertEquals(outcome.segmentsStored(), segments.size(), entries.toString());
    for (WalArchive.Entry e : segments) {
      assertArrayEquals(serverSegment(e.name()), archive.read(null, e), "segment " + e.name() + " as the server has it");
    }
    List<WalArchive.Entry> partials = entries.stream().filter(e -> e.partialOf() != null).toList();
    assertEquals(1, partials.size(), "one partial object, the newest: " + entries);
    WalArchive.Entry partial = partials.get(0);
    byte[] partialContent = archive.read(null, partial);
    assertEquals(partial.partialBytes(), partialContent.length);
    assertArrayEquals(Arrays.copyOf(serverSegment(partial.partialOf()), partialContent.length), partialContent,
        "the partial object is the first bytes of the segment being written");

    String restart = pg.exec("app", "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = 'lifeboat_test_full'");
    long segmentSize = 16L << 20;
    assertEquals(WalNames.parse(partial.partialOf(), segmentSize).startLsn(segmentSize),
        WalNames.parseLsn(restart) / segmentSize * segmentSize,
        "the slot holds the server's WAL from the first segment not stored whole");
    ArchiveState state = ArchiveState.read(archive.repository(), "app");
    assertNotNull(state);
    assertEquals(pg.exec("app", "SELECT system_identifier FROM pg_control_system()"), state.systemIdentifier());
    assertEquals(WalNames.parse(partial.partialOf(), segmentSize).startLsn(segmentSize) + partial.partialBytes(),
        state.archivedLsn());
  }

  @Test
  void aStreamCutOffMidWayLeavesNoGapAndTheNextOneGoesOnFromTheSlot() throws Exception {
    WalArchive archive = archive("cut");
    String slot = "lifeboat_test_cut";
    CompletableFuture<WalStreamer.Outcome> first = streamFor(archive, "cut", slot, Duration.ofSeconds(30));
    Thread.sleep(1000);
    writeAndSwitch(1000);
    writeAndSwitch(1000);
    Thread.sleep(500);
    pg.exec("app", "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
    Exception cut = assertThrows(Exception.class, () -> first.get(60, TimeUnit.SECONDS));
    LifeboatException failure = (LifeboatException) cut.getCause();
    assertEquals(ErrorCode.WAL_STREAM_FAILED, failure.code(), failure.getMessage());

    writeAndSwitch(1000); // written while nothing streams: the slot keeps it
    writeAndSwitch(1000);
    CompletableFuture<WalStreamer.Outcome> second = streamFor(archive, "cut", slot, Duration.ofSeconds(4));
    Thread.sleep(1000);
    writeAndSwitch(1000);
    second.get(60, TimeUnit.SECONDS);

    long segmentSize = 16L << 20;
    List<Long> numbers = archive.list().stream().filter(WalArchive.Entry::isSegment)
        .map(e -> WalNames.parse(e.name(), segmentSize).number()).toList();
    assertTrue(numbers.size() >= 5, numbers.toString());
    for (int i = 1; i < numbers.size(); i++) {
      assertEquals(numbers.get(i - 1) + 1, numbers.get(i), "no gap: " + numbers);
    }
  }

  /** The same stream into an S3 repository (s3proxy): segments listed, read back and equal to the server's. */
  @Test
  void anS3RepositoryHoldsTheSameArchive() throws Exception {
    try (lifeboat.activities.testing.S3ProxyServer s3 = lifeboat.activities.testing.S3ProxyServer.start()) {
      lifeboat.activities.repository.S3Settings settings = s3.settings(s3.newBucket(), "lb");
      try (lifeboat.activities.repository.S3Clients clients = lifeboat.activities.repository.S3Clients.create(
          settings, List.of())) {
        WalArchive archive = new WalArchive(new lifeboat.activities.repository.S3Repository(settings, clients), "s3",
            List.of(), 1);
        CompletableFuture<WalStreamer.Outcome> run = streamFor(archive, "s3", "lifeboat_test_s3",
            Duration.ofSeconds(5));
        Thread.sleep(1000);
        writeAndSwitch(1000);
        writeAndSwitch(1000);
        WalStreamer.Outcome outcome = run.get(60, TimeUnit.SECONDS);
        assertTrue(outcome.segmentsStored() >= 2, outcome.toString());
        List<WalArchive.Entry> segments = archive.list().stream().filter(WalArchive.Entry::isSegment).toList();
        assertEquals(outcome.segmentsStored(), segments.size(), segments.toString());
        for (WalArchive.Entry e : segments) {
          assertArrayEquals(serverSegment(e.name()), archive.read(null, e), "segment " + e.name());
        }
        assertNotNull(ArchiveState.read(archive.repository(), "s3"));
      }
    }
  }

  @Test
  void theSameSegmentAgainIsHarmlessAndOtherContentUnderItsNameIsRefused() throws Exception {
    WalArchive archive = archive("dup");
    byte[] a = new byte[1000];
    byte[] b = new byte[1000];
    b[10] = 1;
    String name = "000000010000000000000007";
    assertEquals(WalArchive.Stored.STORED, archive.storeSegment(name, a, a.length));
    assertEquals(WalArchive.Stored.ALREADY_STORED, archive.storeSegment(name, a, a.length));
    LifeboatException conflict = assertThrows(LifeboatException.class, () -> archive.storeSegment(name, b, b.length));
    assertEquals(ErrorCode.WAL_SEGMENT_CONFLICT, conflict.code());
    assertTrue(conflict.getMessage().contains("already archived with other content"), conflict.getMessage());
    assertEquals(1, archive.list().size(), "nothing overwritten, nothing added");
  }
}
