package lifeboat.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import lifeboat.activities.config.Config;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.ArchiveCommandSetup;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.check.WalAlarms;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.WalStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * archive_command mode against a real cluster: PostgreSQL's own archiver pushes with the real curl command line
 * to the StreamWal step's receiver, and what it pushed is stored sealed (zstd + OpenPGP) byte-equal to the
 * server's file; a push again is harmless, other content and a wrong token are refused; a push that keeps failing
 * shows in the status and the lag alarm.
 */
class WalReceiverTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private static PgCluster pg;
  private static GpgKeys keys;
  /** The header files: somewhere the postgres OS user can read (the JUnit folder is 0700). */
  private static Path headers;
  @TempDir static Path dir;
  private static Workspace workspace;
  private static int port;

  @BeforeAll
  static void clusterAndConfig() throws Exception {
    pg = PgCluster.startLocal("-c archive_mode=on");
    pg.createDatabase("app");
    pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "");
    headers = ArchiveCommandSetup.headerFolder();
    Files.writeString(dir.resolve("pg-password"), pg.password());
    Files.writeString(dir.resolve("wal-token"), TOKEN + "\n");
    port = LocalCluster.freePort();
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        encryption:
          recipients: [%s]
          privateKey: %s
        databases:
          app:
            engine: postgres
            url: "%s"
            password: file:pg-password
            repository: local
            wal: { archive: command, listen: "127.0.0.1:%d", token: file:wal-token, maxLag: 1s }
          other:
            engine: postgres
            url: "%s"
            password: file:pg-password
            repository: local
            wal: { archive: command, listen: "127.0.0.1:%d", token: file:wal-token }
        """.formatted(keys.publicKeyFile(), keys.secretKeyFile(), pg.url("app"), port, pg.url("app"),
        LocalCluster.freePort()));
    workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"));
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
    if (keys != null) {
      keys.close();
    }
    LocalCluster.deleteTree(headers);
  }

  private static Path headerFile(String name, String token) throws Exception {
    return ArchiveCommandSetup.headerFile(headers, name, token);
  }

  /** One push by hand, as the archiver makes it: curl's exit code and the HTTP status it got. */
  private static int[] curl(Path header, Path file, String name) throws Exception {
    Process p = new ProcessBuilder("curl", "--fail", "--silent", "--show-error", "--max-time", "60", "-H",
        "@" + header, "-T", file.toString(), "-o", "/dev/null", "-w", "%{http_code}",
        "http://127.0.0.1:" + port + "/wal/app/" + name).redirectErrorStream(false).start();
    String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new int[] {p.waitFor(), Integer.parseInt(code)};
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; pg_stat_archiver: "
            + pg.exec("app", "SELECT row_to_json(a) FROM pg_stat_archiver a") + "\n" + pg.logTail());
      }
      Thread.sleep(100);
    }
  }

  /** Thrown by the test's heartbeat to end the step early, as a cancellation does. */
  private static final class Stop extends RuntimeException {}

  @Test
  void whatTheArchiverPushesIsStoredAsTheServerHasItAndRefusalsStoreNothing() throws Exception {
    WalActivitiesImpl activities = new WalActivitiesImpl(workspace);
    Config cfg = workspace.config();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> receiving = CompletableFuture.runAsync(() -> activities.stream("app",
        Duration.ofMinutes(2), () -> {
          if (stop.get()) {
            throw new Stop();
          }
        }));
    Path header = headerFile("good.header", TOKEN);
    ArchiveCommandSetup.enable(pg, header, port, "app");

    pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 2000) g");
    String name = pg.exec("app", "SELECT pg_walfile_name(pg_current_wal_lsn())");
    pg.exec("app", "SELECT pg_switch_wal()");
    await(name + " is archived", () -> name.compareTo(pg.exec("app",
        "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")) <= 0);
    Path copy = dir.resolve(name);
    Files.copy(pg.dataDir().resolve("pg_wal").resolve(name), copy); // before a checkpoint recycles it

    WalArchive archive = new WalArchive(workspace.repository(cfg, "local"), "app", List.of(), 1);
    WalArchive.Entry stored = archive.freshest(name).orElseThrow();
    assertTrue(stored.encrypted() && stored.key().endsWith(name + "-" + stored.sha256() + ".zst.pgp"), stored.key());
    assertArrayEquals(Files.readAllBytes(copy), archive.read(cfg, stored), "the segment as the server has it");
    ArchiveState state = ArchiveState.read(archive.repository(), "app");
    assertNotNull(state);
    assertEquals(pg.exec("app", "SELECT system_identifier FROM pg_control_system()"), state.systemIdentifier());
    assertEquals(WalNames.parse(name, 16L << 20).startLsn(16L << 20) + (16L << 20), state.archivedLsn(),
        "archive.json reaches the end of the newest segment stored");
    assertNull(state.slot(), "no slot in archive_command mode");
    assertNotNull(state.firstSegment());

    assertArrayEquals(new int[] {0, 200}, curl(header, copy, name), "the same content again is harmless");
    byte[] other = Files.readAllBytes(copy);
    other[100] ^= 1;
    Path altered = Files.write(dir.resolve("altered"), other);
    int[] conflict = curl(header, altered, name);
    assertNotEquals(0, conflict[0], "curl fails, so PostgreSQL keeps the file");
    assertEquals(409, conflict[1]);
    String unseen = "0000000100000000000000FE";
    assertEquals(401, curl(headerFile("wrong.header", "not-" + TOKEN), copy, unseen)[1]);
    assertTrue(archive.freshest(unseen).isEmpty(), "nothing stored without the token");
    assertEquals(archive.read(cfg, stored).length, 16 << 20, "the stored segment is untouched by the conflict");

    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("..%2F..%2Fetc%2Fpasswd", "000000010000000000000003.txt",
        "00000001000000000000000x", "sub/000000010000000000000003", "000000010000000000000100")) {
      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/wal/app/" + path)).header("Authorization", "Bearer " + TOKEN)
          .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), path + ": " + bad.body());
    }
    HttpResponse<String> shortSegment = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/wal/app/" + unseen)).header("Authorization", "Bearer " + TOKEN)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, shortSegment.statusCode(), shortSegment.body());
    assertTrue(archive.freshest(unseen).isEmpty(), "a truncated push is not stored");

    WalStatus healthy = activities.status(cfg, "app");
    assertNull(healthy.slot());
    assertNotNull(healthy.archiver(), healthy.toString());
    assertFalse(healthy.archiver().failing(), healthy.toString());
    assertEquals(List.of(), healthy.gaps());

    stop.set(true);
    ExecutionException stopped = assertThrows(ExecutionException.class, () -> receiving.get(30, TimeUnit.SECONDS));
    assertTrue(stopped.getCause() instanceof Stop, stopped.toString());

    // No receiver now: the archiver's pushes fail, and that shows.
    pg.exec("app", "INSERT INTO t(note) VALUES ('pushed to nobody'); SELECT pg_switch_wal()");
    await("the failing push shows", () -> activities.status(cfg, "app").archiver().failing());
    Thread.sleep(1100); // past maxLag: 1s
    WalStatus failing = activities.status(cfg, "app");
    List<Alarm> alarms = WalAlarms.of(failing);
    assertEquals(List.of(Alarm.WAL_LAG), alarms.stream().map(Alarm::kind).toList(), alarms.toString());
    assertTrue(alarms.get(0).message().contains("archive_command failed"), alarms.get(0).message());
  }

  @Test
  void aServerOfAnotherClusterThanTheArchiveRecordsIsRefused() {
    Config cfg = workspace.config();
    new ArchiveState("7000000000000000001", 16L << 20, 1, null, "000000010000000000000001", 0, 0, 0, 0, null, null)
        .write(workspace.repository(cfg, "local"), "other");
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> new WalActivitiesImpl(workspace).stream("other", Duration.ofSeconds(5), () -> { }));
    assertEquals(ErrorCode.WAL_ARCHIVE_MISMATCH, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("archives cluster 7000000000000000001"), e.getMessage());
  }
}
