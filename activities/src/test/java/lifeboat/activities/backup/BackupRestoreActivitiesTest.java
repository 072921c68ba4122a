package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.DuckDbFiles;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole pipeline, dump → zstd → OpenPGP → repository → manifest, and back, through the activity
 * implementations, against real SQLite files, a real PostgreSQL cluster, real gpg keys and the real zstd
 * and gpg binaries. Nothing is mocked.
 */
class BackupRestoreActivitiesTest {
  static final String PASSPHRASE = "Backup-Passphrase-9f3";
  static final String LIMITED_PASSWORD = "Limited-Secret-77a";
  static final String BAD_PASSWORD = "Wrong-Secret-123b";
  static final AtomicInteger SEQ = new AtomicInteger();

  static GpgKeys keys;
  static GpgKeys otherKeys;
  static PgCluster pg;
  static MariaDbServer maria;

  @TempDir Path dir;
  Path configFile;
  Workspace workspace;
  BackupActivitiesImpl backup;
  RestoreActivitiesImpl restore;

  /** What differs between the engines; everything else is one test for both. */
  enum Kind {
    SQLITE("lite", List.of("items", "notes"), "7") {
      @Override
      String source(Path dir) {
        return dir.resolve("lite.db").toString();
      }

      @Override
      String serverVersion(Path dir) {
        return new lifeboat.activities.engine.SqliteEngine().serverVersion(DbConnection.sqlite(source(dir)));
      }

      @Override
      String freshTarget(Path dir) {
        return dir.resolve("restored-" + SEQ.incrementAndGet() + ".db").toString();
      }

      @Override
      long count(String where, String table) {
        try {
          return SqliteFiles.count(Path.of(where), table);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      boolean isEmpty(String target) {
        return !Files.exists(Path.of(target));
      }

      @Override
      Path nativeDump(Path dir) {
        Path out = dir.resolve("native.db");
        run(List.of("sqlite3", source(dir), ".backup " + out), Map.of());
        return out;
      }

      @Override
      void checkNative(Path dump) {
        assertEquals("1000", run(List.of("sqlite3", dump.toString(), "select count(*) from items"), Map.of()).trim());
      }
    },

    POSTGRES("pg", List.of("schema_version", "items", "notes", "secret"), "3") {
      @Override
      String source(Path dir) {
        return pg.url("app");
      }

      @Override
      String freshTarget(Path dir) {
        String name = "restored" + SEQ.incrementAndGet();
        pg.createDatabase(name);
        return pg.url(name);
      }

      @Override
      String targetPasswordRef() {
        return "file:pgpass.txt";
      }

      @Override
      long count(String where, String table) {
        return Long.parseLong(pg.exec(dbName(where), "SELECT count(*) FROM " + table));
      }

      @Override
      boolean isEmpty(String target) {
        return pg.exec(dbName(target), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").equals("0");
      }

      @Override
      Path nativeDump(Path dir) {
        Path out = dir.resolve("native.dump");
        run(List.of(PgBinaries.tool("pg_dump"), "-Fc", "-f", out.toString(), "--dbname=" + pg.url("app")),
            Map.of("PGPASSWORD", pg.password()));
        return out;
      }

      @Override
      void checkNative(Path dump) {
        String toc = run(List.of(PgBinaries.tool("pg_restore"), "-l", dump.toString()), Map.of());
        assertTrue(toc.contains("TABLE DATA public items"), toc);
      }
    },

    DUCKDB("duck", List.of("schema_version", "items", "sales.notes"), "5") {
      @Override
      String source(Path dir) {
        return dir.resolve("duck.db").toString();
      }

      @Override
      String serverVersion(Path dir) {
        return duck(Path.of(source(dir)), "SELECT version()");
      }

      @Override
      String freshTarget(Path dir) {
        return dir.resolve("restored-" + SEQ.incrementAndGet() + ".duckdb").toString();
      }

      @Override
      long count(String where, String table) {
        return Long.parseLong(duck(Path.of(where), "SELECT count(*) FROM " + table));
      }

      /** Rows per table, and a hash of each table's rows in key order: the same rows with the same values. */
      @Override
      Map<String, Long> counts(String where) {
        Map<String, Long> counts = super.counts(where);
        for (String table : tables) {
          counts.put(table + " hash", Long.parseUnsignedLong(duck(Path.of(where),
              "SELECT hash(list(t ORDER BY t)) FROM " + table + " t")));
        }
        return counts;
      }

      @Override
      boolean isEmpty(String target) {
        return !Files.exists(Path.of(target));
      }

      /** EXPORT DATABASE by hand, and the folder tarred by tar: what an operator would make. */
      @Override
      Path nativeDump(Path dir) {
        Path work = dir.resolve("native-export");
        try {
          Files.createDirectories(work);
          DuckDbFiles.sql(Path.of(source(dir)), "EXPORT DATABASE '" + work.resolve("export") + "' (FORMAT PARQUET)");
        } catch (IOException | SQLException e) {
          throw new IllegalStateException(e);
        }
        Path out = dir.resolve("native.tar");
        run(List.of("tar", "-C", work.toString(), "-cf", out.toString(), "export"), Map.of());
        return out;
      }

      /** tar unpacks it, and DuckDB's IMPORT DATABASE reads the folder into a new file. */
      @Override
      void checkNative(Path dump) {
        Path into = dump.resolveSibling("unpacked-" + SEQ.incrementAndGet());
        try {
          Files.createDirectories(into);
          run(List.of("tar", "-C", into.toString(), "-xf", dump.toString()), Map.of());
          Path file = into.resolve("imported.duckdb");
          DuckDbFiles.sql(file, "IMPORT DATABASE '" + into.resolve("export") + "'");
          assertEquals("1000", DuckDbFiles.value(file, "SELECT count(*) FROM items"));
        } catch (IOException | SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    },

    MARIADB("maria", List.of("schema_version", "items", "notes", "secret"), "3") {
      @Override
      String source(Path dir) {
        return maria.url("app");
      }

      @Override
      String serverVersion(Path dir) {
        return maria.exec(null, "SELECT VERSION()");
      }

      @Override
      String freshTarget(Path dir) {
        String name = "restored" + SEQ.incrementAndGet();
        maria.createDatabase(name);
        return maria.url(name);
      }

      @Override
      String targetPasswordRef() {
        return "file:mariapass.txt";
      }

      @Override
      long count(String where, String table) {
        return Long.parseLong(maria.exec(dbName(where), "SELECT count(*) FROM " + table));
      }

      /** Row counts, and CHECKSUM TABLE of each table: the same rows with the same values. */
      @Override
      /** Rows per table (MariaDB adds each table's CHECKSUM TABLE). */
    Map<String, Long> counts(String where) {
        Map<String, Long> counts = super.counts(where);
        for (String table : tables) {
          String row = maria.exec(dbName(where), "CHECKSUM TABLE " + table);
          counts.put(table + " checksum", Long.parseLong(row.substring(row.lastIndexOf('\t') + 1).trim()));
        }
        return counts;
      }

      @Override
      boolean isEmpty(String target) {
        return maria.exec(null, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
            + dbName(target) + "'").equals("0");
      }

      @Override
      Path nativeDump(Path dir) {
        Path out = dir.resolve("native.sql");
        run(List.of("mariadb-dump", "--no-defaults", "--host=127.0.0.1", "--port=" + maria.port(), "--user=root",
            "--single-transaction", "--result-file=" + out, "app"), Map.of("MYSQL_PWD", maria.password()));
        return out;
      }

      /** The standard client restores it into a database of another name: `mariadb db < dump`. */
      @Override
      void checkNative(Path dump) {
        String db = "native" + SEQ.incrementAndGet();
        maria.createDatabase(db);
        run(List.of("sh", "-c", "mariadb --no-defaults --host=127.0.0.1 --port=" + maria.port() + " --user=root "
            + db + " < " + dump), Map.of("MYSQL_PWD", maria.password()));
        assertEquals("1000", maria.exec(db, "SELECT count(*) FROM items"));
      }
    };

    final String database;
    final List<String> tables;
    final String schemaVersion;

    Kind(String database, List<String> tables, String schemaVersion) {
      this.database = database;
      this.tables = tables;
      this.schemaVersion = schemaVersion;
    }

    /** The configured source database: a file path or a URL. */
    abstract String source(Path dir);

    /** What the manifest's serverVersion must say. */
    String serverVersion(Path dir) {
      return pg.exec("app", "SHOW server_version");
    }

    /** A new, empty restore target: a file path that does not exist yet, or the URL of a new database. */
    abstract String freshTarget(Path dir);

    String targetPasswordRef() {
      return null;
    }

    abstract long count(String where, String table);

    abstract boolean isEmpty(String target);

    /** A dump made by the engine's own tool (sqlite3 .backup, pg_dump -Fc), not by Lifeboat. */
    abstract Path nativeDump(Path dir);

    /** Asserts the engine's own tool reads the native dump. */
    abstract void checkNative(Path dump);

    static String duck(Path file, String query) {
      try {
        return DuckDbFiles.value(file, query);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    Map<String, Long> counts(String where) {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String table : tables) {
        counts.put(table, count(where, table));
      }
      return counts;
    }

    String unencrypted() {
      return database + "_plain";
    }
  }

  @BeforeAll
  static void startFixtures() {
    keys = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
    otherKeys = GpgKeys.generate(Algorithm.CURVE25519, "other-Passphrase-1");
    pg = PgCluster.start();
    pg.createDatabase("app");
    pg.exec("app", String.join("\n",
        "CREATE TABLE schema_version(v int); INSERT INTO schema_version VALUES (1), (2), (3);",
        "CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL);",
        "INSERT INTO items(name) SELECT 'item ' || g FROM generate_series(1, 1000) g;",
        "CREATE TABLE notes(body text); INSERT INTO notes VALUES ('a'), ('b'), ('c');",
        "CREATE TABLE secret(x int); INSERT INTO secret VALUES (7);",
        "CREATE ROLE limited LOGIN PASSWORD '" + LIMITED_PASSWORD + "';",
        "GRANT CONNECT ON DATABASE app TO limited;",
        "GRANT SELECT ON schema_version, items, notes TO limited;",
        "REVOKE ALL ON secret FROM PUBLIC, limited;"));
    maria = MariaDbServer.start();
    maria.createDatabase("app");
    maria.exec("app", String.join("\n",
        "CREATE TABLE schema_version(v int) ENGINE=InnoDB; INSERT INTO schema_version VALUES (1), (2), (3);",
        "CREATE TABLE items(id int AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, price decimal(10,2),",
        "  photo blob, added datetime(6)) ENGINE=InnoDB;",
        "INSERT INTO items(name, price, photo, added) SELECT concat('item ', seq, ' \u00e9\u00e8'), seq / 7,",
        "  unhex(sha2(seq, 256)), '2025-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_1000;",
        "CREATE TABLE notes(body text) ENGINE=InnoDB; INSERT INTO notes VALUES ('a'), ('b'), (NULL);",
        "CREATE TABLE secret(x int) ENGINE=InnoDB; INSERT INTO secret VALUES (7);",
        "CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10;"));
  }

  @AfterAll
  static void stopFixtures() {
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
    if (keys != null) {
      keys.close();
    }
    if (otherKeys != null) {
      otherKeys.close();
    }
  }

  @BeforeEach
  void workspace() throws Exception {
    SqliteFiles.sql(SqliteFiles.sample(dir.resolve("lite.db"), 1000), "pragma user_version = 7");
    DuckDbFiles.sample(dir.resolve("duck.db"), 1000);
    Files.writeString(dir.resolve("pgpass.txt"), pg.password() + "\n");
    Files.writeString(dir.resolve("mariapass.txt"), maria.password() + "\n");
    Files.writeString(dir.resolve("limited.txt"), LIMITED_PASSWORD + "\n");
    Files.writeString(dir.resolve("badpw.txt"), BAD_PASSWORD + "\n");
    configFile = dir.resolve("lifeboat.yaml");
    configure(keys.secretKeyFile(), PASSPHRASE);
    workspace = Workspace.fromFile(configFile);
    backup = new BackupActivitiesImpl(workspace);
    restore = new RestoreActivitiesImpl(workspace);
  }

  /** (Re)writes lifeboat.yaml; the workspace re-reads it on every call, as a worker does. */
  void configure(Path privateKey, String passphrase) throws IOException {
    Files.writeString(dir.resolve("passphrase.txt"), passphrase + "\n");
    String pgUrl = pg.url("app");
    String limitedUrl = pgUrl.replace("postgres@", "limited@");
    Files.writeString(configFile, """
        repositories:
          local:
            type: filesystem
            path: repo
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          lite:
            engine: sqlite
            path: lite.db
            repository: local
            schemaVersionQuery: pragma user_version
          lite_plain:
            engine: sqlite
            path: lite.db
            repository: local
            encryption: none
          pg:
            engine: postgres
            url: %s
            password: file:pgpass.txt
            repository: local
            schemaVersionQuery: select max(v) from schema_version
          pg_plain:
            engine: postgres
            url: %s
            password: file:pgpass.txt
            repository: local
            encryption: none
          pg_limited:
            engine: postgres
            url: %s
            password: file:limited.txt
            repository: local
          pg_badpw:
            engine: postgres
            url: %s
            password: file:badpw.txt
            repository: local
          duck:
            engine: duckdb
            path: duck.db
            repository: local
            schemaVersionQuery: select max(v) from schema_version
          duck_plain:
            engine: duckdb
            path: duck.db
            repository: local
            encryption: none
          maria:
            engine: mariadb
            url: %s
            password: file:mariapass.txt
            repository: local
            schemaVersionQuery: select max(v) from schema_version
          maria_plain:
            engine: mariadb
            url: %s
            password: file:mariapass.txt
            repository: local
            encryption: none
        """.formatted(keys.publicKeyFile(), privateKey, pgUrl, pgUrl, limitedUrl, pgUrl, maria.url("app"),
            maria.url("app")));
  }

  static String newBackupId() {
    return "20250101T000000Z-" + SEQ.incrementAndGet();
  }

  static String dbName(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  Repository repo() {
    return workspace.repository(workspace.config(), "local");
  }

  Path stored(BackupManifest manifest) {
    return Path.of(manifest.location());
  }

  BackupManifest backUp(String database) {
    return backup.dump(database, newBackupId(), null, Progress.none());
  }

  String verify(BackupManifest manifest) {
    return Verification.verify(workspace.config(), repo(), manifest, workspace.engine(manifest.engine()),
        Progress.none());
  }

  RestoreRequest request(Kind kind, BackupManifest manifest, String target) {
    return new RestoreRequest(manifest.database(), manifest.backupId(), target, kind.targetPasswordRef(), 1, false);
  }

  /** What RestoreWorkflow does, in its order: check the target, verify the checksum, then restore. */
  void restoreLikeTheWorkflow(Kind kind, BackupManifest manifest, String target) {
    DbConnection conn = switch (kind) {
      case SQLITE -> DbConnection.sqlite(target);
      case DUCKDB -> DbConnection.duckdb(target);
      case POSTGRES -> DbConnection.postgres(target, pg.password());
      case MARIADB -> DbConnection.mariadb(target, maria.password());
    };
    assertTrue(workspace.engine(manifest.engine()).isEmpty(conn));
    Verification.checksum(repo(), manifest, Progress.none());
    restore.restore(request(kind, manifest, target), manifest, Progress.none());
  }

  static void assertNoSecret(LifeboatException e, String... secrets) {
    for (String secret : secrets) {
      assertFalse(e.userMessage().contains(secret), e.userMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void roundTrip(Kind kind) throws IOException {
    String id = newBackupId();
    BackupManifest m = backup.dump(kind.database, id, null, Progress.none());

    assertEquals(BackupManifest.FORMAT_VERSION, m.formatVersion());
    assertEquals(id, m.backupId());
    assertEquals(kind.database, m.database());
    assertEquals(kind.name().toLowerCase(), m.engine());
    assertEquals(kind.serverVersion(dir), m.serverVersion());
    assertEquals(kind.schemaVersion, m.schemaVersion());
    assertEquals("local", m.repository());
    assertEquals(BackupLayout.objectKey(kind.database, id, true), m.objectKey());
    assertTrue(m.objectKey().endsWith("/data.zst.pgp"));
    assertEquals(dir.resolve("repo").resolve(m.objectKey()).toString(), m.location());
    byte[] object = Files.readAllBytes(stored(m));
    assertEquals(object.length, m.storedBytes());
    assertEquals(sha256(object), m.sha256());
    assertTrue(m.rawBytes() > 0);
    assertEquals("zstd-1", m.compression(), "the default level");
    assertEquals("openpgp-aes256", m.encryption());
    assertEquals(List.of(keys.fingerprint()), m.recipients());
    assertFalse(m.verified());
    assertTrue(Instant.parse(m.startedAt()).compareTo(Instant.parse(m.endedAt())) <= 0);

    String verification = verify(m);
    assertTrue(verification.startsWith("sha256 ok; "), verification);
    BackupManifest verified = m.withVerification(true, verification);
    Manifests.write(repo(), verified);
    assertEquals(List.of(verified), Manifests.list(repo(), kind.database));
    assertEquals(verified, Manifests.read(repo(), kind.database, id));

    String target = kind.freshTarget(dir);
    var result = restore.restore(request(kind, verified, target), verified, Progress.none());
    assertEquals(id, result.backupId());
    assertEquals(m.storedBytes(), result.restoredBytes());
    assertEquals(kind.counts(kind.source(dir)), kind.counts(target));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void storedObjectIsAStandardOpenPgpMessageOfAZstdFrame(Kind kind) {
    BackupManifest m = backUp(kind.database);
    Path zst = dir.resolve("by-gpg.zst");
    keys.decryptWithGpg(stored(m), zst);
    Path nativeDump = dir.resolve("by-zstd.dump");
    run(List.of("zstd", "-q", "-d", zst.toString(), "-o", nativeDump.toString()), Map.of());
    kind.checkNative(nativeDump);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void backupMadeWithGpgAndZstdRestores(Kind kind) throws IOException {
    Path nativeDump = kind.nativeDump(dir);
    Path zst = dir.resolve("hand.zst");
    run(List.of("zstd", "-q", "-19", nativeDump.toString(), "-o", zst.toString()), Map.of());
    Path pgp = dir.resolve("hand.zst.pgp");
    keys.encryptWithGpg(zst, pgp);

    String id = newBackupId();
    String key = BackupLayout.objectKey(kind.database, id, true);
    byte[] object = Files.readAllBytes(pgp);
    try (Repository.PendingWrite out = repo().write(key)) {
      out.write(object);
      out.commit();
    }
    BackupManifest handWritten = new BackupManifest(1, id, kind.database, kind.name().toLowerCase(), "by hand",
        null, "local", key, repo().locate(key), "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z",
        Files.size(nativeDump), object.length, sha256(object), "zstd-19", "openpgp-aes256",
        List.of(keys.fingerprint()), false, "made with gpg and zstd");
    Manifests.write(repo(), handWritten);
    BackupManifest m = restore.resolveBackup(kind.database, id);
    assertEquals(handWritten, m);

    assertTrue(verify(m).startsWith("sha256 ok; "));
    String target = kind.freshTarget(dir);
    restoreLikeTheWorkflow(kind, m, target);
    assertEquals(kind.counts(kind.source(dir)), kind.counts(target));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void flippedByteIsCaughtBeforeTheTargetIsTouched(Kind kind) throws IOException {
    BackupManifest m = backUp(kind.database);
    byte[] object = Files.readAllBytes(stored(m));
    object[object.length / 2] ^= 0x01;
    Files.write(stored(m), object);

    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Verification.checksum(repo(), m, Progress.none()));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, assertThrows(LifeboatException.class, () -> verify(m)).code());

    String target = kind.freshTarget(dir);
    LifeboatException viaWorkflow = assertThrows(LifeboatException.class,
        () -> restoreLikeTheWorkflow(kind, m, target));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, viaWorkflow.code());
    assertTrue(kind.isEmpty(target), "nothing was restored");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void wrongPrivateKeyIsKeyMismatch(Kind kind) throws IOException {
    BackupManifest m = backUp(kind.database);
    configure(otherKeys.secretKeyFile(), otherKeys.passphrase());
    String target = kind.freshTarget(dir);

    LifeboatException e = assertThrows(LifeboatException.class,
        () -> restore.restore(request(kind, m, target), m, Progress.none()));
    assertEquals(ErrorCode.KEY_MISMATCH, e.code(), e.getMessage());
    assertNoSecret(e, otherKeys.passphrase(), PASSPHRASE);
    LifeboatException inVerify = assertThrows(LifeboatException.class, () -> verify(m));
    assertEquals(ErrorCode.KEY_MISMATCH, inVerify.code(), inVerify.getMessage());
    assertTrue(kind.isEmpty(target));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void wrongPassphraseIsWrongPassphrase(Kind kind) throws IOException {
    BackupManifest m = backUp(kind.database);
    String wrong = "Not-The-Passphrase-55";
    configure(keys.secretKeyFile(), wrong);
    String target = kind.freshTarget(dir);

    LifeboatException e = assertThrows(LifeboatException.class,
        () -> restore.restore(request(kind, m, target), m, Progress.none()));
    assertEquals(ErrorCode.WRONG_PASSPHRASE, e.code(), e.getMessage());
    assertNoSecret(e, wrong, PASSPHRASE);
    LifeboatException inVerify = assertThrows(LifeboatException.class, () -> verify(m));
    assertEquals(ErrorCode.WRONG_PASSPHRASE, inVerify.code());
    assertNoSecret(inVerify, wrong, PASSPHRASE);
    assertTrue(kind.isEmpty(target));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void unencryptedDatabaseIsStoredAsPlainZstdAndRestores(Kind kind) throws IOException {
    String database = kind.unencrypted();
    BackupManifest m = backUp(database);
    assertEquals("none", m.encryption());
    assertEquals(List.of(), m.recipients());
    assertTrue(m.objectKey().endsWith("/data.zst"), m.objectKey());
    assertEquals(sha256(Files.readAllBytes(stored(m))), m.sha256());

    Path nativeDump = dir.resolve("plain.dump");
    run(List.of("zstd", "-q", "-d", stored(m).toString(), "-o", nativeDump.toString()), Map.of());
    kind.checkNative(nativeDump);

    // no private key needed anywhere for these
    configure(otherKeys.secretKeyFile(), "irrelevant");
    assertTrue(verify(m).startsWith("sha256 ok; "));
    String target = kind.freshTarget(dir);
    restoreLikeTheWorkflow(kind, m, target);
    assertEquals(kind.counts(kind.source(dir)), kind.counts(target));
  }

  @Test
  void dumpThatCannotReadATablePublishesNothing() throws IOException {
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("pg_limited"));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.userMessage());
    assertTrue(e.userMessage().contains("permission denied"), e.userMessage());
    assertNoSecret(e, LIMITED_PASSWORD);
    assertEquals(List.of(), repo().list(BackupLayout.databasePrefix("pg_limited")));
    assertEquals(List.of(), filesUnder(dir.resolve("repo/backups/pg_limited")), "no object, no partial file");
  }

  @Test
  void unknownDatabase() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("nope"));
    assertEquals(ErrorCode.UNKNOWN_DATABASE, e.code());
    assertTrue(e.hint().contains("lite"), e.hint());
  }

  @Test
  void badPostgresPasswordIsAuthFailedWithoutThePassword() throws IOException {
    LifeboatException e = assertThrows(LifeboatException.class, () -> backUp("pg_badpw"));
    assertEquals(ErrorCode.AUTH_FAILED, e.code(), e.userMessage());
    assertNoSecret(e, BAD_PASSWORD, pg.password());
    assertEquals(List.of(), filesUnder(dir.resolve("repo")));
  }

  static List<String> filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(Path::toString).toList();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command; returns its standard output and fails the test on a non-zero exit. */
  static String run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
      assertEquals(0, p.exitValue(), command + " failed:\n" + out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
