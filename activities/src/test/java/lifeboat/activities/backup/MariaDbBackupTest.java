package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Dump;
import lifeboat.activities.engine.MariaDbEngine;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DumpSnapshot;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the MariaDB engine does, on a real server (the shared round trip, corrupt object, wrong key... are
 * BackupRestoreActivitiesTest's MARIADB kind): the refusal of tables whose engine ignores transactions and the
 * read lock that allows them, the dump's binlog position, users and grants restored into a fresh instance, a
 * truncated dump caught by inspect, and no password on any tool's command line.
 */
class MariaDbBackupTest {
  static final String PASSPHRASE = "Maria-Passphrase-41c";
  static final String READER_PASSWORD = "Reader-Secret-93d";
  static final String BAD_PASSWORD = "Wrong-Secret-57e";
  static final AtomicInteger SEQ = new AtomicInteger();

  static GpgKeys keys;
  static MariaDbServer maria;

  @TempDir Path dir;
  Workspace workspace;
  BackupActivitiesImpl backup;
  RestoreActivitiesImpl restore;

  @BeforeAll
  static void startFixtures() {
    keys = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
    maria = MariaDbServer.start();
    maria.createDatabase("app");
    maria.exec("app", String.join("\n",
        "CREATE TABLE items(id int AUTO_INCREMENT PRIMARY KEY, name varchar(100), digest char(64)) ENGINE=InnoDB;",
        "INSERT INTO items(name, digest) SELECT concat('item ', seq), sha2(seq, 256) FROM seq_1_to_3000;",
        "CREATE USER reader@'%' IDENTIFIED BY '" + READER_PASSWORD + "';",
        "GRANT SELECT ON app.* TO reader@'%';"));
    maria.createDatabase("mixed");
    maria.exec("mixed", String.join("\n",
        "CREATE TABLE orders(id int PRIMARY KEY, total int) ENGINE=InnoDB; INSERT INTO orders VALUES (1, 10), (2, 20);",
        "CREATE TABLE hits(n int) ENGINE=MyISAM; INSERT INTO hits SELECT seq FROM seq_1_to_50;",
        "CREATE TABLE cache(k int) ENGINE=MEMORY; INSERT INTO cache VALUES (1);"));
  }

  @AfterAll
  static void stopFixtures() {
    if (maria != null) {
      maria.close();
    }
    if (keys != null) {
      keys.close();
    }
  }

  @BeforeEach
  void workspace() throws IOException {
    Files.writeString(dir.resolve("pass.txt"), maria.password() + "\n");
    Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
    Files.writeString(dir.resolve("badpw.txt"), BAD_PASSWORD + "\n");
    Path config = dir.resolve("lifeboat.yaml");
    Files.writeString(config, """
        repositories:
          local:
            type: filesystem
            path: repo
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          app:
            engine: mariadb
            url: %s
            password: file:pass.txt
            repository: local
          mixed:
            engine: mariadb
            url: %s
            password: file:pass.txt
            repository: local
          mixed_locked:
            engine: mariadb
            url: %s
            password: file:pass.txt
            repository: local
            allowNonTransactional: true
          app_badpw:
            engine: mariadb
            url: %s
            password: file:badpw.txt
            repository: local
        """.formatted(keys.publicKeyFile(), keys.secretKeyFile(), maria.url("app"), maria.url("mixed"),
        maria.url("mixed"), maria.url("app")));
    workspace = Workspace.fromFile(config);
    backup = new BackupActivitiesImpl(workspace);
    restore = new RestoreActivitiesImpl(workspace);
  }

  BackupManifest backUp(String database) {
    return backup.dump(database, "20250101T000000Z-" + SEQ.incrementAndGet(), null, Progress.none());
  }

  RestoreRequest request(BackupManifest m, String targetUrl, String passwordRef, boolean globals) {
    return new RestoreRequest(m.database(), m.backupId(), targetUrl, passwordRef, 1, false, List.of(), false, false,
        false, globals);
  }

  @Test
  void tablesWhoseEngineIgnoresTransactionsFailTheBackupNamingThem() throws IOException {
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("mixed"));
    assertEquals(ErrorCode.NON_TRANSACTIONAL_TABLES, e.code(), e.userMessage());
    assertTrue(ErrorCode.NON_TRANSACTIONAL_TABLES.userFixable(), "not retried");
    assertTrue(e.userMessage().contains("cache (MEMORY)") && e.userMessage().contains("hits (MyISAM)"),
        e.userMessage());
    assertFalse(e.userMessage().contains("orders"), e.userMessage());
    assertTrue(e.hint().contains("ENGINE=InnoDB") && e.hint().contains("allowNonTransactional: true"), e.hint());
    assertEquals(List.of(), BackupRestoreActivitiesTest.filesUnder(dir.resolve("repo")), "nothing stored");
  }

  @Test
  void allowedNonTransactionalTablesAreDumpedUnderALockTheManifestNames() {
    BackupManifest m = backUp("mixed_locked");
    assertTrue(m.snapshot().consistency().startsWith("lock-all-tables (non-transactional: cache (MEMORY), "
        + "hits (MyISAM))"), m.snapshot().consistency());

    maria.createDatabase("mixed_copy");
    restore.restore(request(m, maria.url("mixed_copy"), "file:pass.txt", false), m, Progress.none());
    assertEquals(tableFacts("mixed"), tableFacts("mixed_copy"));
    assertEquals("MyISAM", maria.exec(null, "SELECT ENGINE FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = 'mixed_copy' AND TABLE_NAME = 'hits'"));
  }

  @Test
  void theManifestHoldsTheBinlogPositionAndGtidOfTheDumpsSnapshot() {
    String[] before = maria.exec(null, "SHOW MASTER STATUS").split("\t");
    String gtidBefore = maria.exec(null, "SELECT @@gtid_binlog_pos");
    BackupManifest first = backUp("app");
    DumpSnapshot s = first.snapshot();
    assertEquals("single-transaction", s.consistency());
    // nothing was written meanwhile: the snapshot is exactly where the server's binlog was
    assertEquals(before[0], s.binlogFile());
    assertEquals(Long.parseLong(before[1]), s.binlogPosition());
    assertEquals(gtidBefore, s.gtidPosition());

    maria.exec("app", "INSERT INTO items(name) VALUES ('after the first backup')");
    DumpSnapshot second = backUp("app").snapshot();
    assertTrue(second.binlogPosition() > s.binlogPosition() || !second.binlogFile().equals(s.binlogFile()),
        second + " after " + s);
    assertFalse(second.gtidPosition().equals(s.gtidPosition()), second.gtidPosition());
    maria.exec("app", "DELETE FROM items WHERE name = 'after the first backup'");
  }

  @Test
  void usersAndGrantsRestoreIntoAFreshInstanceLeavingItsRootAsItWas() throws IOException {
    BackupManifest m = backUp("app");
    assertEquals(MariaDbEngine.USERS_SOURCE, m.globals().source());
    assertEquals(BackupLayout.globalsKey("app", m.backupId(), true), m.globals().objectKey());
    assertFalse(m.globals().withoutPasswords());

    try (MariaDbServer fresh = MariaDbServer.start()) {
      Files.writeString(dir.resolve("fresh.txt"), fresh.password() + "\n");
      fresh.createDatabase("app"); // the grants name the source's database
      RestoreRequest req = request(m, fresh.url("app"), "file:fresh.txt", true);

      String done = restore.globals(req, m);
      // reader is new; the four root accounts of mariadb-install-db and mariadb.sys are there already
      assertTrue(done.startsWith("1 user created, "), done);
      restore.restore(req, m, Progress.none());

      // fresh.exec connects as root with the fresh server's own password: the source's did not replace it
      assertEquals("3000", fresh.exec("app", "SELECT count(*) FROM items"));
      assertEquals(maria.exec(null, "SHOW GRANTS FOR reader@'%'"), fresh.exec(null, "SHOW GRANTS FOR reader@'%'"));
      // reader logs in to the fresh server with its own password, and reads what its grant allows
      DbConnection asReader = DbConnection.mariadb(fresh.url("app").replace("root@", "reader@"), READER_PASSWORD);
      assertEquals(List.of("items"), workspace.engine("mariadb").relations(asReader));

      String again = restore.globals(req, m);
      assertTrue(again.startsWith("0 users created, "), "a retry changes nothing: " + again);
    }
  }

  @Test
  void aWrongPasswordIsAuthFailedBeforeAnythingIsStoredAndNeverShown() throws IOException {
    // the workflow's first step, as a Temporal failure whose type is the code: not retried
    var inPrepare = assertThrows(io.temporal.failure.ApplicationFailure.class,
        () -> backup.prepareBackup("app_badpw"));
    assertEquals("AUTH_FAILED", inPrepare.getType(), inPrepare.getMessage());
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("app_badpw"));
    assertEquals(ErrorCode.AUTH_FAILED, e.code(), e.userMessage());
    assertFalse(e.userMessage().contains(BAD_PASSWORD) || e.userMessage().contains(maria.password()),
        e.userMessage());
    assertEquals(List.of(), BackupRestoreActivitiesTest.filesUnder(dir.resolve("repo")));
  }

  @Test
  void aDumpToolKilledHalfWayFailsTheBackupAndPublishesNothing() throws IOException {
    // at the first bytes stored, mariadb-dump (still blocked on its pipe: the dump is over 64 KiB) is killed
    Progress killer = new Progress(bytes -> ProcessHandle.current().children()
        .filter(ph -> ph.info().command().orElse("").endsWith("/mariadb-dump"))
        .forEach(ProcessHandle::destroyForcibly), 0);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> backup.dump("app", "20250101T000000Z-" + SEQ.incrementAndGet(), null, killer));
    assertEquals(ErrorCode.DUMP_FAILED, e.code(), e.userMessage());
    assertTrue(e.userMessage().contains("killed by signal 9"), e.userMessage());
    assertEquals(List.of(), BackupRestoreActivitiesTest.filesUnder(dir.resolve("repo")), "no object, no partial file");
  }

  @Test
  void inspectAcceptsAWholeDumpAndRefusesATruncatedOne() throws IOException {
    DatabaseEngine engine = workspace.engine("mariadb");
    byte[] whole;
    try (Dump dump = engine.startDump(DbConnection.mariadb(maria.url("app"), maria.password()))) {
      whole = dump.stream().readAllBytes();
      dump.finish();
    }
    assertEquals("mariadb-dump complete, 1 tables", engine.inspect(new ByteArrayInputStream(whole)));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length * 2 / 3);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream(cut)));
    assertEquals(ErrorCode.CORRUPT_BACKUP, e.code());
    LifeboatException notADump = assertThrows(LifeboatException.class,
        () -> engine.inspect(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8))));
    assertEquals(ErrorCode.CORRUPT_BACKUP, notADump.code());
  }

  @Test
  void noToolIsGivenThePasswordOnItsCommandLine() {
    DatabaseEngine engine = workspace.engine("mariadb");
    DbConnection conn = DbConnection.mariadb(maria.url("app"), maria.password());
    // unread, the dump (over 64 KiB) blocks on its full pipe: it is still running while we look
    try (Dump dump = engine.startDump(conn)) {
      List<String> commandLines = toolCommandLines("mariadb-dump");
      assertEquals(1, commandLines.size(), commandLines.toString());
      assertTrue(commandLines.get(0).contains("--user=root") && commandLines.get(0).endsWith(" app"),
          commandLines.get(0));
      assertFalse(commandLines.get(0).contains(maria.password()), commandLines.get(0));
    }
  }

  /** Command lines of this JVM's running children named {@code tool}. */
  static List<String> toolCommandLines(String tool) {
    List<String> found = new ArrayList<>();
    ProcessHandle.current().descendants().forEach(ph -> {
      var info = ph.info();
      if (info.command().map(c -> c.endsWith("/" + tool)).orElse(false)) {
        found.add(info.command().get() + " " + String.join(" ", info.arguments().orElse(new String[0])));
      }
    });
    return found;
  }

  /** Per table of the database: its row count and CHECKSUM TABLE. */
  static Map<String, String> tableFacts(String database) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (String table : maria.exec(null, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
        + database + "' ORDER BY 1").split("\n")) {
      String checksum = maria.exec(database, "CHECKSUM TABLE " + table);
      facts.put(table, maria.exec(database, "SELECT count(*) FROM " + table) + " rows, checksum "
          + checksum.substring(checksum.indexOf('\t') + 1));
    }
    return facts;
  }
}
