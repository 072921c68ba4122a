package lifeboat.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.activities.wal.WalActivitiesImpl;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB's binlog archive and point-in-time restore on a real server with its binary log on, through the real
 * activities, real mariadb-binlog, gpg and zstd: rotated files stored whole and the current one as it grows; a
 * restore to a moment between two writes; a moment the archive does not reach refused before anything is
 * touched; a damaged archived file and a wrong key caught before mariadb-binlog reads them; no password on the
 * archiver's command line; a binlog with GTIDs out of order replayed; a replay under gtid_strict_mode numbered
 * by the target; a binlog cut inside an event failing the replay though mariadb-binlog exits 0.
 */
class MariaDbBinlogTest {
  static final String PASSPHRASE = "Binlog-Passphrase-6e1";
  static final AtomicInteger SEQ = new AtomicInteger();
  static GpgKeys keys;
  static GpgKeys otherKeys;
  static MariaDbServer maria;

  @TempDir Path dir;
  Workspace workspace;
  WalActivitiesImpl wal;
  BackupActivitiesImpl backup;
  RestoreActivitiesImpl restore;
  String db;

  @BeforeAll
  static void startFixtures() {
    keys = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
    otherKeys = GpgKeys.generate(Algorithm.CURVE25519, "other-Passphrase-2");
    maria = MariaDbServer.start();
  }

  @AfterAll
  static void stopFixtures() {
    for (AutoCloseable c : new AutoCloseable[] {maria, keys, otherKeys}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  @BeforeEach
  void workspace() throws IOException {
    db = "shop" + SEQ.incrementAndGet();
    maria.createDatabase(db);
    maria.exec(db, "CREATE TABLE orders(id int PRIMARY KEY, note varchar(100)) ENGINE=InnoDB;"
        + " INSERT INTO orders VALUES (1, 'before the backup')");
    configure(keys.secretKeyFile(), PASSPHRASE);
  }

  void configure(Path privateKey, String passphrase) throws IOException {
    Files.writeString(dir.resolve("pass.txt"), maria.password() + "\n");
    Files.writeString(dir.resolve("passphrase.txt"), passphrase + "\n");
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          %s:
            engine: mariadb
            url: %s
            password: file:pass.txt
            repository: local
            wal: { partialEvery: 1s, maxLag: 1m }
        """.formatted(keys.publicKeyFile(), privateKey, db, maria.url(db)));
    workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"));
    wal = new WalActivitiesImpl(workspace);
    backup = new BackupActivitiesImpl(workspace);
    restore = new RestoreActivitiesImpl(workspace);
  }

  /** Statements with the database as the session's default, as an application connected to it runs them. */
  void write(String sql) {
    maria.exec(db, sql);
  }

  WalStreamResult archiveFor(Duration d) {
    return wal.stream(db, d, () -> { });
  }

  BackupManifest verifiedBackup() {
    BackupManifest m = backup.dump(db, "20250101T000000Z-" + SEQ.incrementAndGet(), null, Progress.none());
    var repo = workspace.repository(workspace.config(), "local");
    BackupManifest verified = m.withVerification(true, Verification.verify(workspace.config(), repo, m,
        workspace.engine("mariadb"), Progress.none()));
    Manifests.write(repo, verified);
    return verified;
  }

  RestoreRequest pointInTime(String target, Instant t) {
    return new RestoreRequest(db, RestoreRequest.LATEST, maria.url(target), "file:pass.txt", 1, false, List.of(),
        false, false, false, false, t.toString());
  }

  /** What RestoreWorkflow does for --to-time: plan, restore the planned dump, replay. */
  String restoreTo(String target, Instant t) {
    RestoreRequest request = pointInTime(target, t);
    BinlogReplayPlan plan = Binlogs.plan(workspace, request);
    RestoreRequest into = request.withBackup(plan.backup().backupId());
    restore.restore(into, plan.backup(), Progress.none());
    return restore.replayBinlog(into, plan, () -> { });
  }

  /** A verified backup, row 2 written, the moment T, row 3 written, and the archive run past them. */
  Instant aBackupAndAMomentWithAWriteEitherSide() throws InterruptedException {
    verifiedBackup();
    write("INSERT INTO orders VALUES (2, 'before T')");
    Instant t = aSecondApart();
    write("INSERT INTO orders VALUES (3, 'after T')");
    archiveFor(Duration.ofSeconds(2));
    return t;
  }

  /** Sleeps into the next wall-clock second, and returns a moment inside the one in between. */
  static Instant aSecondApart() throws InterruptedException {
    sleepToNextSecond();
    Instant between = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500);
    sleepToNextSecond();
    return between;
  }

  static void sleepToNextSecond() throws InterruptedException {
    long now = System.currentTimeMillis();
    Thread.sleep(1000 - now % 1000 + 50);
  }

  @Test
  void rotatedFilesAreStoredWholeTheCurrentOneAsItGrowsAndStandardToolsReadThem() throws Exception {
    write("INSERT INTO orders VALUES (2, 'a')");
    maria.exec(null, "FLUSH BINARY LOGS");
    write("INSERT INTO orders VALUES (3, 'b')");
    AtomicBoolean sawCommandLine = new AtomicBoolean();
    WalStreamResult run = wal.stream(db, Duration.ofSeconds(3), () -> ProcessHandle.current().descendants()
        .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("mariadb-binlog")).forEach(c -> {
          sawCommandLine.set(true);
          assertFalse(c.contains(maria.password()), "the password on mariadb-binlog's command line: " + c);
        }));
    assertTrue(sawCommandLine.get(), "mariadb-binlog ran");
    assertTrue(run.segmentsStored() >= 1, run.toString());
    assertTrue(run.partialsStored() >= 1, run.toString());

    BinlogArchive archive = new BinlogArchive(workspace.repository(workspace.config(), "local"), db, List.of(), 1);
    List<BinlogArchive.Entry> stored = archive.freshest();
    assertTrue(stored.get(0).full(), stored.toString());
    BinlogArchive.Entry current = stored.get(stored.size() - 1);
    assertFalse(current.full(), "the file being written is a partial object: " + stored);
    WalStatus status = wal.status(workspace.config(), db);
    assertEquals(List.of(), status.gaps());
    assertEquals(0L, status.lagBytes(), status.toString());
    assertEquals(status.serverLsn(), status.archivedLsn(), "caught up with SHOW BINARY LOGS");
    assertEquals(stored.size() - 1, status.segments());

    // gpg -d | zstd -d gives the file the server wrote; mariadb-binlog decodes it.
    Path zst = dir.resolve("full.zst");
    keys.decryptWithGpg(Path.of(workspace.repository(workspace.config(), "local").locate(stored.get(0).key())), zst);
    Path file = dir.resolve(stored.get(0).name());
    run(List.of("zstd", "-q", "-d", zst.toString(), "-o", file.toString()));
    assertEquals(stored.get(0).bytes(), Files.size(file));
    String decoded = run(List.of("mariadb-binlog", "--no-defaults", file.toString()));
    assertTrue(decoded.contains("Rotate to " + BinlogNames.next(stored.get(0).name())), decoded);

    // A second run resumes where the first ended: nothing stored twice, the current file grows.
    write("INSERT INTO orders VALUES (4, 'c')");
    WalStreamResult second = archiveFor(Duration.ofSeconds(2));
    assertEquals(current.name(), second.startLsn(), "resumed from the file the partial object belongs to");
    assertEquals(0, second.segmentsStored());
    assertEquals(0L, wal.status(workspace.config(), db).lagBytes());
    assertEquals(1, archive.list().stream().filter(e -> !e.full()).count(), "one partial object, the newest");
  }

  /**
   * mariadb-binlog killed mid-run (the server restarted, the network broke): the run fails with WAL_STREAM_FAILED,
   * retried, after storing what it had received; the next run resumes from there and the archive has no gap.
   */
  @Test
  void aKilledArchiverFailsRetryablyAndTheNextRunLeavesNoGap() throws Exception {
    write("INSERT INTO orders VALUES (2, 'before the kill')");
    AtomicInteger beats = new AtomicInteger();
    LifeboatException e = assertThrows(LifeboatException.class, () -> wal.stream(db, Duration.ofSeconds(30), () -> {
      if (beats.incrementAndGet() == 4) {
        ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("mariadb-binlog"))
            .forEach(ProcessHandle::destroyForcibly);
      }
    }));
    assertEquals(ErrorCode.WAL_STREAM_FAILED, e.code(), e.userMessage());
    assertFalse(e.code().userFixable(), "retried");
    assertTrue(e.userMessage().contains("mariadb-binlog"), e.userMessage());
    write("INSERT INTO orders VALUES (3, 'after the kill')");
    maria.exec(null, "FLUSH BINARY LOGS");
    write("INSERT INTO orders VALUES (4, 'in the next file')");
    archiveFor(Duration.ofSeconds(2));
    WalStatus status = wal.status(workspace.config(), db);
    assertEquals(List.of(), status.gaps(), status.toString());
    assertEquals(0L, status.lagBytes(), status.toString());
    try (var staged = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertEquals(List.of(), staged.filter(p -> p.getFileName().toString().startsWith(BinlogStreamer.STAGING_PREFIX
          + ProcessHandle.current().pid() + "-")).toList(), "no staging folder left");
    }
  }

  @Test
  void aRestoreToAMomentBetweenTwoWritesHasTheFirstAndNotTheSecond() throws Exception {
    BackupManifest dump = verifiedBackup();
    assertTrue(dump.snapshot().binlogFile() != null, dump.toString());
    write("INSERT INTO orders VALUES (2, 'after the backup, before T'); UPDATE orders SET note = 'changed' WHERE id = 1");
    Instant t = aSecondApart();
    write("INSERT INTO orders VALUES (3, 'after T'); DELETE FROM orders WHERE id = 1");
    maria.exec(null, "FLUSH BINARY LOGS");
    write("INSERT INTO orders VALUES (4, 'after T, next file')");
    archiveFor(Duration.ofSeconds(3));

    maria.createDatabase(db + "_at_t");
    String replayed = restoreTo(db + "_at_t", t);
    assertTrue(replayed.startsWith("replayed "), replayed);
    assertEquals("1\tchanged\n2\tafter the backup, before T", maria.exec(db + "_at_t",
        "SELECT id, note FROM orders ORDER BY id"));
    assertEquals("2", maria.exec(db, "SELECT count(*) FROM orders WHERE id IN (3, 4)"), "the source went on");
  }

  /**
   * mariadb-binlog gives every replayed transaction the source's sequence number. The target has logged higher
   * ones (the dump's restore, and here the source's own writes): under gtid_strict_mode it refused them (ERROR
   * 1950, half-way through the replay), and without it logged them out of order into the archive the next
   * restore replays (how BinlogArchiveKillTest failed in CI). FreshGtids leaves them to the target.
   */
  @Test
  void aReplayUnderGtidStrictModeGetsTheTargetsOwnSequenceNumbersInOrder() throws Exception {
    Instant t = aBackupAndAMomentWithAWriteEitherSide();
    String target = db + "_same_server";
    maria.createDatabase(target);
    maria.exec(null, "SET GLOBAL gtid_strict_mode = 1");
    try {
      RestoreRequest request = pointInTime(target, t);
      BinlogReplayPlan plan = Binlogs.plan(workspace, request);
      RestoreRequest into = request.withBackup(plan.backup().backupId());
      restore.restore(into, plan.backup(), Progress.none());
      long before = seqNo(maria.exec(null, "SELECT @@gtid_binlog_pos"));
      String replayed = restore.replayBinlog(into, plan, () -> { });
      assertTrue(replayed.contains("GTIDs of the target's own"), replayed);
      assertEquals(before + 1, seqNo(maria.exec(null, "SELECT @@gtid_binlog_pos")),
          "the one replayed transaction took the next sequence number: " + replayed);
    } finally {
      maria.exec(null, "SET GLOBAL gtid_strict_mode = 0");
    }
    assertEquals("1\tbefore the backup\n2\tbefore T", maria.exec(target, "SELECT id, note FROM orders ORDER BY id"));
  }

  /** The sequence number of a one-domain GTID position such as 0-1-42. */
  static long seqNo(String gtidPosition) {
    return Long.parseLong(gtidPosition.substring(gtidPosition.lastIndexOf('-') + 1));
  }

  /** gtid_strict_mode is off by default, and the server then logs what a session's gtid_seq_no says. */
  @Test
  void aBinlogWithSequenceNumbersOutOfOrderIsReplayed() throws Exception {
    verifiedBackup();
    write("INSERT INTO orders VALUES (2, 'in order')");
    write("SET SESSION gtid_seq_no = 1; INSERT INTO orders VALUES (3, 'logged as sequence number 1')");
    write("INSERT INTO orders VALUES (4, 'in order again')");
    Instant t = aSecondApart();
    write("INSERT INTO orders VALUES (5, 'after T')");
    archiveFor(Duration.ofSeconds(2));
    maria.createDatabase(db + "_out_of_order");
    String replayed = restoreTo(db + "_out_of_order", t);
    assertTrue(replayed.startsWith("replayed "), replayed);
    assertEquals("1,2,3,4", maria.exec(db + "_out_of_order", "SELECT group_concat(id ORDER BY id) FROM orders"));
  }

  @Test
  void aMomentTheArchiveDoesNotReachIsRefusedBeforeAnythingIsTouched() throws Exception {
    verifiedBackup();
    write("INSERT INTO orders VALUES (2, 'archived')");
    archiveFor(Duration.ofSeconds(2));
    sleepToNextSecond();
    write("INSERT INTO orders VALUES (3, 'not archived yet')"); // the archive is now behind the server
    sleepToNextSecond();
    LifeboatException behind = assertThrows(LifeboatException.class,
        () -> Binlogs.plan(workspace, pointInTime(db + "_x", Instant.now())));
    assertEquals(ErrorCode.RECOVERY_TARGET_UNREACHABLE, behind.code(), behind.userMessage());
    assertTrue(behind.userMessage().contains("after the binlog archive's newest event"), behind.userMessage());
    LifeboatException future = assertThrows(LifeboatException.class,
        () -> Binlogs.plan(workspace, pointInTime(db + "_x", Instant.now().plusSeconds(3600))));
    assertEquals(ErrorCode.RECOVERY_TARGET_UNREACHABLE, future.code());
    LifeboatException beforeBackup = assertThrows(LifeboatException.class,
        () -> Binlogs.plan(workspace, pointInTime(db + "_x", Instant.now().minusSeconds(3600))));
    assertEquals(ErrorCode.RECOVERY_TARGET_UNREACHABLE, beforeBackup.code());
    assertTrue(beforeBackup.userMessage().contains("no verified backup"), beforeBackup.userMessage());
    assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
        + db + "_x'"), "nothing was made");
  }

  @Test
  void aDamagedArchivedFileOrAWrongKeyIsCaughtBeforeMariadbBinlogReadsIt() throws Exception {
    verifiedBackup();
    write("INSERT INTO orders VALUES (2, 'x')");
    Instant t = aSecondApart();
    archiveFor(Duration.ofSeconds(2));
    RestoreRequest request = pointInTime(db + "_bad", t);
    BinlogReplayPlan plan = Binlogs.plan(workspace, request);
    maria.createDatabase(db + "_bad");
    RestoreRequest into = request.withBackup(plan.backup().backupId());
    restore.restore(into, plan.backup(), Progress.none());

    configure(otherKeys.secretKeyFile(), otherKeys.passphrase());
    LifeboatException wrongKey = assertThrows(LifeboatException.class,
        () -> restore.replayBinlog(into, plan, () -> { }));
    assertEquals(ErrorCode.KEY_MISMATCH, wrongKey.code(), wrongKey.userMessage());

    configure(keys.secretKeyFile(), PASSPHRASE);
    BinlogArchive archive = new BinlogArchive(workspace.repository(workspace.config(), "local"), db, List.of(), 1);
    BinlogArchive.Entry first = archive.freshest().stream().filter(e -> e.name().equals(plan.files().get(0)))
        .findFirst().orElseThrow(); // the file the replay reads first (the archive may start earlier)
    Path object = Path.of(workspace.repository(workspace.config(), "local").locate(first.key()));
    byte[] bytes = Files.readAllBytes(object);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(object, bytes);
    LifeboatException damaged = assertThrows(LifeboatException.class,
        () -> restore.replayBinlog(into, plan, () -> { }));
    assertEquals(ErrorCode.CORRUPT_BACKUP, damaged.code(), damaged.userMessage());
    assertEquals("1", maria.exec(db + "_bad", "SELECT count(*) FROM orders"), "only the dump's row: nothing replayed");
  }

  /**
   * mariadb-binlog exits 0 after an event it cannot read, having decoded only what came before it. The archive
   * stores whole events under their SHA-256, so this takes a file damaged before it was stored; the replay must
   * still fail rather than report the rows before the cut as the moment.
   */
  @Test
  void aBinlogCutInsideAnEventFailsTheReplayThoughMariadbBinlogExitsZero() throws Exception {
    write("INSERT INTO orders VALUES (2, 'x'), (3, 'y')");
    archiveFor(Duration.ofSeconds(2));
    BinlogArchive archive = new BinlogArchive(workspace.repository(workspace.config(), "local"), db, List.of(), 1);
    BinlogArchive.Entry last = archive.freshest().get(archive.freshest().size() - 1);
    Path file = dir.resolve(last.name());
    archive.readTo(workspace.config(), last, file);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 10)); // inside the last event
    maria.createDatabase(db + "_cut");
    var target = workspace.connection(workspace.config(), pointInTime(db + "_cut", Instant.now()).dbTarget());
    LifeboatException cut = assertThrows(LifeboatException.class, () -> BinlogReplay.apply(List.of(
        "mariadb-binlog", "--no-defaults", "--database=" + db, "--rewrite-db=" + db + "->" + db + "_cut",
        file.toString()), target));
    assertEquals(ErrorCode.CORRUPT_BACKUP, cut.code(), cut.userMessage());
    assertTrue(cut.getMessage().contains("Event truncated"), cut.getMessage());
  }

  /**
   * A pre-migration backup of a MariaDB database with a binlog archive notes the moment before the migration (what
   * `restore --to-time` takes) instead of a PostgreSQL restore point; `restore-point` itself is refused, not run.
   */
  @Test
  void aMomentStandsInForANamedRestorePoint() {
    var pitr = new lifeboat.activities.pitr.PitrActivitiesImpl(workspace);
    String point = pitr.markRestorePoint(db, "before-migrate-1");
    assertTrue(point.startsWith("the moment before the migration, ") && point.contains(" --to-time "), point);
    io.temporal.failure.ApplicationFailure refused = assertThrows(io.temporal.failure.ApplicationFailure.class,
        () -> pitr.createRestorePoint(db, "before-deploy"));
    assertEquals("CONFIG_INVALID", refused.getType(), refused.getMessage());
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), command + ":\n" + out);
    return out;
  }
}
