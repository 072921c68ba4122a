package lifeboat.activities.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lifeboat.yaml loading and validation, from real files. */
class ConfigLoaderTest {
  private static final String REPOSITORIES = """
      repositories:
        local:
          type: filesystem
          path: repo
      """;
  private static final String ENCRYPTION = """
      encryption:
        recipients: [keys/ops.asc]
        privateKey: keys/ops-secret.asc
        passphrase: env:LIFEBOAT_PASSPHRASE
      """;

  /** One database stored unencrypted on purpose, and no encryption section. */
  private static final String SCRATCH_ONLY = """
      databases:
        scratch:
          engine: sqlite
          path: scratch.db
          repository: local
          encryption: none
      """;

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("lifeboat.yaml"), text);
  }

  /** Loading fails with CONFIG_INVALID, naming {@code field} and quoting none of {@code secrets}. */
  private LifeboatException invalid(String text, String field, String... secrets) throws IOException {
    Path file = yaml(text);
    LifeboatException e = assertThrows(LifeboatException.class, () -> ConfigLoader.load(file));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
    for (String secret : secrets) {
      assertFalse(e.userMessage().contains(secret), e.userMessage());
    }
    return e;
  }

  @Test
  void loadsAValidFile() throws IOException {
    Config cfg = ConfigLoader.load(yaml(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: postgres
            url: postgresql://app@db.example:5432/app
            password: file:secrets/app.txt
            repository: local
            schemaVersionQuery: select max(version) from flyway_schema_history
            compressionLevel: 9
          notes:
            engine: sqlite
            path: data/notes.db
            repository: local
        """));

    assertEquals(dir.toAbsolutePath(), cfg.baseDir());
    assertEquals(List.of("app", "notes"), List.copyOf(cfg.databases().keySet()));
    DatabaseConfig app = cfg.database("app");
    assertEquals("postgres", app.engine());
    assertEquals("postgresql://app@db.example:5432/app", app.url());
    assertEquals("file:secrets/app.txt", app.password());
    assertEquals(9, app.zstdLevel());
    assertFalse(app.unencrypted());
    assertEquals(1, cfg.database("notes").zstdLevel(), "zstd level 1 by default");
    assertEquals(dir.resolve("data/notes.db").toAbsolutePath(), cfg.resolvePath(cfg.database("notes").path()));
    assertEquals("filesystem", cfg.repository("local").type());
    assertEquals(List.of("keys/ops.asc"), cfg.encryption().recipients());
    assertEquals("keys/ops-secret.asc", cfg.encryption().privateKey());
  }

  @Test
  void unknownFieldIsNamedWithItsLine() throws IOException {
    LifeboatException e = invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: sqlite
            path: app.db
            repositroy: local
        """, "'repositroy'");
    assertTrue(e.getMessage().contains("line 13"), e.getMessage());
    assertTrue(e.getMessage().contains("databases.app"), e.getMessage());
    assertTrue(e.hint().contains("repository"), e.hint());
  }

  @Test
  void unknownTopLevelFieldAndWrongTypeAreNamedWithTheirLines() throws IOException {
    invalid(REPOSITORIES + "retention: 7\n" + ENCRYPTION, "line 5: unknown field 'retention'");

    LifeboatException wrongType = invalid(REPOSITORIES + """
        databases:
          app:
            engine: sqlite
            compressionLevel: high
            path: app.db
            encryption: none
            repository: local
        """, "line 8");
    assertTrue(wrongType.getMessage().contains("compressionLevel"), wrongType.getMessage());
  }

  /** One line for a person: no Java type names, no snakeyaml snippet, no Jackson reference chain. */
  private static void assertOneCleanLine(LifeboatException e) {
    String line = e.userMessage();
    assertEquals(1, line.lines().count(), line);
    for (String internal : List.of("java.", "`", "reference chain", "snakeyaml", "com.fasterxml", "LifeboatConfig")) {
      assertFalse(line.contains(internal), internal + " leaks into: " + line);
    }
    assertTrue(line.contains(" [CONFIG_INVALID] HINT: "), line);
  }

  @Test
  void aDatabaseDefinedTwiceIsRefusedNamingTheKeyAndTheSecondLine() throws IOException {
    LifeboatException e = invalid(REPOSITORIES + """
        databases:
          app:
            engine: sqlite
            path: one.db
            repository: local
            encryption: none
          app:
            engine: sqlite
            path: two.db
            repository: local
            encryption: none
        """, "databases.app is defined twice");
    assertTrue(e.getMessage().startsWith("lifeboat.yaml line 11: "), e.getMessage());
    assertOneCleanLine(e);
  }

  @Test
  void aDatabaseNameTheCliRefusesIsRefusedAtLoad() throws IOException {
    LifeboatException e = invalid(REPOSITORIES + """
        databases:
          'my app':
            engine: sqlite
            path: app.db
            repository: local
            encryption: none
        """, "'my app' is not a database name");
    assertTrue(e.getMessage().startsWith("lifeboat.yaml line 6: "), e.getMessage());
    assertTrue(e.hint().contains(lifeboat.workflows.model.DatabaseNames.RULE), e.hint());
    assertOneCleanLine(e);
  }

  @Test
  void wrongTypesSayWhatTheFieldTakesInOneLine() throws IOException {
    LifeboatException number = invalid(REPOSITORIES + """
        databases:
          app:
            engine: sqlite
            path: app.db
            repository: local
            encryption: none
            compressionLevel: high
        """, "line 11: databases.app.compressionLevel: expected a whole number, got 'high'");
    assertOneCleanLine(number);
    LifeboatException list = invalid(REPOSITORIES + "databases: [app, notes]\n", "databases: expected a mapping");
    assertTrue(list.getMessage().contains("got a list"), list.getMessage());
    assertOneCleanLine(list);
  }

  @Test
  void anEmptyFileSaysSo() throws IOException {
    assertOneCleanLine(invalid("", "lifeboat.yaml is empty"));
    assertOneCleanLine(invalid("# nothing yet\n\n", "lifeboat.yaml is empty"));
  }

  @Test
  void aYamlSyntaxErrorIsOneLineWithItsLine() throws IOException {
    LifeboatException e = invalid(REPOSITORIES + """
        databases:
          app: { engine: sqlite, path: app.db
          notes: x
        """, "not valid YAML");
    assertTrue(e.getMessage().matches("lifeboat\\.yaml line [67]: not valid YAML: .*"), e.getMessage());
    assertOneCleanLine(e);
  }

  @Test
  void literalPasswordIsRefused() throws IOException {
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: postgres
            url: postgresql://app@localhost/app
            password: hunter2
            repository: local
        """, "databases.app.password", "hunter2");
  }

  @Test
  void literalPassphraseIsRefused() throws IOException {
    invalid(REPOSITORIES + """
        encryption:
          recipients: [ops.asc]
          passphrase: correct-horse
        """, "encryption.passphrase", "correct-horse");
  }

  @Test
  void passwordInsidePostgresUrlIsRefused() throws IOException {
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: postgres
            url: postgresql://app:hunter2@localhost:5432/app
            repository: local
        """, "databases.app.url", "hunter2");
  }

  @Test
  void mariadbNeedsAMariadbUrlWithoutAPasswordAndOnlyItMayAllowNonTransactionalTables() throws IOException {
    Path ok = yaml(REPOSITORIES + ENCRYPTION + """
        databases:
          shop:
            engine: mariadb
            url: mariadb://backup@db1:3306/shop
            password: env:SHOP_PW
            repository: local
            allowNonTransactional: true
        """);
    assertTrue(ConfigLoader.load(ok).database("shop").allowsNonTransactional());
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          shop:
            engine: mariadb
            url: mariadb://backup:hunter2@db1:3306/shop
            repository: local
        """, "databases.shop.url", "hunter2");
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          shop:
            engine: mariadb
            url: postgresql://backup@db1:5432/shop
            repository: local
        """, "databases.shop.url");
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: postgres
            url: postgresql://app@db1:5432/app
            repository: local
            allowNonTransactional: true
        """, "databases.app.allowNonTransactional");
  }

  /** A MariaDB database's wal: is its binlog archive: stream only, none of PostgreSQL's slot options; not SQLite's. */
  @Test
  void mariadbTakesABinlogArchiveWithoutSlotOptionsAndSqliteNone() throws IOException {
    String shop = REPOSITORIES + ENCRYPTION + """
        databases:
          shop:
            engine: mariadb
            url: mariadb://backup@db1:3306/shop
            password: env:SHOP_PW
            repository: local
            wal: %s
        """;
    assertEquals("2s", ConfigLoader.load(yaml(shop.formatted("{ partialEvery: 2s, maxLag: 1m }"))).database("shop")
        .wal().partialEvery());
    invalid(shop.formatted("{ slot: lifeboat_shop }"), "databases.shop.wal");
    LifeboatException mysql = invalid(shop.formatted("{}").replace("engine: mariadb", "engine: mysql"),
        "databases.shop.engine");
    assertTrue(mysql.getMessage().contains("mysql is not supported yet: only MariaDB was tested"), mysql.getMessage());
    invalid(shop.formatted("{ archive: command, listen: 127.0.0.1:7391, token: env:T }"), "databases.shop.wal.archive");
    invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          notes:
            engine: sqlite
            path: notes.db
            repository: local
            wal: { partialEvery: 2s }
        """, "databases.notes.wal");
  }

  @Test
  void databaseMustNameAConfiguredRepository() throws IOException {
    LifeboatException e = invalid(REPOSITORIES + ENCRYPTION + """
        databases:
          app:
            engine: sqlite
            path: app.db
            repository: offsite
        """, "databases.app.repository");
    assertTrue(e.getMessage().contains("local"), e.getMessage());
  }

  @Test
  void missingFileIsConfigInvalid() {
    Path missing = dir.resolve("nope.yaml");
    LifeboatException e = assertThrows(LifeboatException.class, () -> ConfigLoader.load(missing));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void unencryptedDatabaseNeedsNoEncryptionSection() throws IOException {
    Config cfg = ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY));
    assertTrue(cfg.database("scratch").unencrypted());
    assertNull(cfg.encryption());
  }

  @Test
  void alertsWebhookIsASecretReference() throws IOException {
    Config cfg = ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY + "alerts: { webhook: env:LIFEBOAT_WEBHOOK_URL }\n"));
    assertEquals("env:LIFEBOAT_WEBHOOK_URL", cfg.alertsWebhook());
    assertNull(ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY)).alertsWebhook());
    invalid(REPOSITORIES + SCRATCH_ONLY + "alerts: { webhook: \"https://hooks.example.com/T0/B0/s3cr3t\" }\n",
        "alerts.webhook", "s3cr3t");
    invalid(REPOSITORIES + SCRATCH_ONLY + "alerts: { url: env:X }\n", "unknown field 'url'");
  }

  @Test
  void historyEncryptionKeyIsASecretReferenceAndAnUnknownFieldThereIsNamed() throws IOException {
    Config cfg = ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY
        + "history:\n  encryptionKey: file:keys/history.key\n"));
    assertEquals("file:keys/history.key", cfg.historyEncryptionKey());
    assertNull(ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY)).historyEncryptionKey());
    String literal = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
    invalid(REPOSITORIES + SCRATCH_ONLY + "history: { encryptionKey: \"" + literal + "\" }\n",
        "history.encryptionKey", literal);
    invalid(REPOSITORIES + SCRATCH_ONLY + "history: {}\n", "history.encryptionKey is required");
    LifeboatException unknown = invalid(REPOSITORIES + SCRATCH_ONLY + "history:\n  key: env:K\n",
        "unknown field 'key' at history.key");
    assertTrue(unknown.userMessage().contains("known fields there: encryptionKey"), unknown.userMessage());
  }

  @Test
  void encryptedDatabaseNeedsRecipients() throws IOException {
    invalid(REPOSITORIES + """
        databases:
          app:
            engine: sqlite
            path: app.db
            repository: local
        """, "encryption.recipients");
  }

  @Test
  void unknownDatabaseIsReportedWithTheConfiguredOnes() throws IOException {
    Config cfg = ConfigLoader.load(yaml(REPOSITORIES + SCRATCH_ONLY));
    LifeboatException e = assertThrows(LifeboatException.class, () -> cfg.database("prod"));
    assertEquals(ErrorCode.UNKNOWN_DATABASE, e.code());
    assertTrue(e.hint().contains("scratch"), e.hint());
  }

  @Test
  void envSecretMissingIsUnresolved() {
    Secrets secrets = new Secrets(Map.of("OTHER", "x"), dir);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> secrets.resolve("env:LIFEBOAT_TEST_PW", "databases.app.password"));
    assertEquals(ErrorCode.SECRET_UNRESOLVED, e.code());
    assertTrue(e.getMessage().contains("LIFEBOAT_TEST_PW"), e.getMessage());
    assertTrue(e.getMessage().contains("databases.app.password"), e.getMessage());
  }

  @Test
  void envSecretIsRead() {
    assertEquals("s3cret", new Secrets(Map.of("PW", "s3cret"), dir).resolve("env:PW", "x"));
  }

  @Test
  void fileSecretIsReadRelativeToBaseDirAndStripped() throws IOException {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/pw.txt"), "  s3cret \n\n");
    assertEquals("s3cret", new Secrets(Map.of(), dir).resolve("file:secrets/pw.txt", "x"));
  }

  @Test
  void fileSecretMissingIsUnresolved() {
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> new Secrets(Map.of(), dir).resolve("file:missing.txt", "encryption.passphrase"));
    assertEquals(ErrorCode.SECRET_UNRESOLVED, e.code());
    assertTrue(e.getMessage().contains("encryption.passphrase"), e.getMessage());
  }

  @Test
  void literalSecretAndNullReference() {
    Secrets secrets = new Secrets(Map.of(), dir);
    assertNull(secrets.resolve(null, "x"));
    LifeboatException e = assertThrows(LifeboatException.class, () -> secrets.resolve("hunter2", "x.password"));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertFalse(e.userMessage().contains("hunter2"));
  }

  private static String walOf(String wal) {
    return REPOSITORIES + SCRATCH_ONLY + """
          app:
            engine: postgres
            url: postgresql://app@db.example:5432/app
            repository: local
            encryption: none
            wal: %s
        """.formatted(wal);
  }

  /** archive: command needs where to listen and the token's secret; any other mode is refused at load. */
  @Test
  void archiveCommandModeNeedsListenAndATokenReference() throws IOException {
    Config cfg = ConfigLoader.load(yaml(walOf("{ archive: command, listen: \"127.0.0.1:7391\", token: env:WAL_TOKEN }")));
    assertTrue(cfg.database("app").wal().command());
    assertEquals(new ListenAddress("127.0.0.1", 7391), ListenAddress.parse(cfg.database("app").wal().listen()));
    invalid(walOf("{ archive: command, token: env:WAL_TOKEN }"), "databases.app.wal.listen");
    invalid(walOf("{ archive: command, listen: \"127.0.0.1\", token: env:WAL_TOKEN }"), "databases.app.wal.listen");
    invalid(walOf("{ archive: command, listen: \"127.0.0.1:7391/x\", token: env:WAL_TOKEN }"),
        "databases.app.wal.listen");
    invalid(walOf("{ archive: command, listen: \"127.0.0.1:7391\" }"), "databases.app.wal.token");
    invalid(walOf("{ archive: command, listen: \"127.0.0.1:7391\", token: s3cr3t-token-literal }"),
        "databases.app.wal.token", "s3cr3t-token-literal");
    invalid(walOf("{ archive: rsync }"), "databases.app.wal.archive");
    invalid(walOf("{ archive: stream, listen: \"127.0.0.1:7391\" }"), "databases.app.wal.listen");
  }
}
