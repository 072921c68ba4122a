package lifeboat.activities.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.config.LifeboatConfig.EncryptionConfig;
import lifeboat.activities.config.LifeboatConfig.RepositoryConfig;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** A loaded, validated lifeboat.yaml with its directory, against which relative paths resolve. */
public final class Config {
  private static final Set<String> ENGINES = Set.of("postgres", "sqlite", "mariadb", "duckdb");
  private static final Set<String> REPOSITORY_TYPES = Set.of("filesystem", "s3");
  private static final Set<String> SSE = Set.of("AES256", "aws:kms");
  private static final Set<String> LOCK_MODES = Set.of("GOVERNANCE", "COMPLIANCE");

  private final LifeboatConfig raw;
  private final Path baseDir;

  Config(LifeboatConfig raw, Path baseDir) {
    this.raw = raw;
    this.baseDir = baseDir;
  }

  public Path baseDir() {
    return baseDir;
  }

  public Path resolvePath(String path) {
    return baseDir.resolve(path).normalize();
  }

  public Secrets secrets() {
    return Secrets.fromEnvironment(baseDir);
  }

  public Map<String, DatabaseConfig> databases() {
    return raw.databases();
  }

  public DatabaseConfig database(String name) {
    DatabaseConfig db = raw.databases().get(name);
    if (db == null) {
      throw new LifeboatException(ErrorCode.UNKNOWN_DATABASE,
          "unknown database '" + name + "'",
          raw.databases().isEmpty() ? "add it under databases: in lifeboat.yaml"
              : "configured databases: " + String.join(", ", raw.databases().keySet()));
    }
    return db;
  }

  public RepositoryConfig repository(String name) {
    RepositoryConfig repo = raw.repositories().get(name);
    if (repo == null) {
      throw new LifeboatException(ErrorCode.UNKNOWN_REPOSITORY, "unknown repository '" + name + "'",
          "configured repositories: " + String.join(", ", raw.repositories().keySet()));
    }
    return repo;
  }

  public EncryptionConfig encryption() {
    return raw.encryption();
  }

  /** The webhook's secret reference, or null when alarms are not sent anywhere but metrics. */
  public String alertsWebhook() {
    return raw.alerts() == null ? null : raw.alerts().webhook();
  }

  /** The history encryption key's secret reference, or null when histories are stored in plain text. */
  public String historyEncryptionKey() {
    return raw.history() == null ? null : raw.history().encryptionKey();
  }

  /** Checks what can be checked without touching a database, so a worker refuses a broken file at start. */
  void validate() {
    raw.repositories().forEach((name, repo) -> {
      String at = "repositories." + name;
      require(repo != null && REPOSITORY_TYPES.contains(repo.type()), at + ".type",
          "must be one of " + REPOSITORY_TYPES);
      if (repo.type().equals("filesystem")) {
        require(repo.path() != null, at + ".path", "is required for a filesystem repository");
        require(repo.bucket() == null && repo.endpoint() == null && repo.objectLock() == null, at,
            "is a filesystem repository: bucket, endpoint and objectLock belong to type: s3");
      } else {
        validateS3(at, repo);
      }
    });
    boolean anyEncrypted = false;
    for (Map.Entry<String, DatabaseConfig> entry : raw.databases().entrySet()) {
      String at = "databases." + entry.getKey();
      DatabaseConfig db = entry.getValue();
      // MySQL is named on purpose: its users table and GTIDs differ from MariaDB's, and no MySQL server could be
      // tested here (docs/mariadb.md#mysql). Refused rather than run untested against production data.
      require(db == null || !"mysql".equals(db.engine()), at + ".engine", "mysql is not supported yet: only MariaDB"
          + " was tested, and MySQL's users table and GTID position differ (docs/mariadb.md, MySQL); for a MariaDB"
          + " server use engine: mariadb");
      require(db != null && ENGINES.contains(db.engine()), at + ".engine", "must be one of " + ENGINES);
      if (db.engine().equals("postgres")) {
        require(db.url() != null, at + ".url", "is required for postgres (postgresql://user@host:port/db)");
        require(!ConnectionStrings.containsPassword(db.url()), at + ".url",
            "must not contain a password: put it in " + at + ".password as env:NAME or file:PATH");
      } else if (db.engine().equals("mariadb")) {
        require(db.url() != null && ConnectionStrings.isMariaDbUrl(db.url()), at + ".url",
            "is required for mariadb (mariadb://user@host:3306/db)");
        require(!ConnectionStrings.containsPassword(db.url()), at + ".url",
            "must not contain a password: put it in " + at + ".password as env:NAME or file:PATH");
      } else {
        require(db.path() != null, at + ".path", "is required for " + db.engine());
      }
      require(db.allowNonTransactional() == null || db.engine().equals("mariadb"), at + ".allowNonTransactional",
          "is for mariadb databases (tables whose engine ignores transactions)");
      require(db.password() == null || Secrets.isReference(db.password()), at + ".password",
          "must be a reference (env:NAME or file:PATH), never the password itself");
      require(db.repository() != null && raw.repositories().containsKey(db.repository()), at + ".repository",
          "must name one of the repositories: " + raw.repositories().keySet());
      require(db.encryption() == null || db.unencrypted(), at + ".encryption",
          "may only be 'none' (to store backups unencrypted on purpose)");
      require(db.compressionLevel() == null || (db.compressionLevel() >= 1 && db.compressionLevel() <= 19),
          at + ".compressionLevel", "must be between 1 and 19");
      if (db.wal() != null) {
        validateWal(at + ".wal", db);
      }
      anyEncrypted |= !db.unencrypted();
    }
    EncryptionConfig enc = raw.encryption();
    if (anyEncrypted) {
      require(enc != null && enc.recipients() != null && !enc.recipients().isEmpty(), "encryption.recipients",
          "lists the public key files backups are encrypted to (or set encryption: none on a database)");
    }
    require(alertsWebhook() == null || Secrets.isReference(alertsWebhook()), "alerts.webhook",
        "must be a reference (env:NAME or file:PATH): a webhook URL carries its own credential");
    if (raw.history() != null) {
      require(historyEncryptionKey() != null, "history.encryptionKey",
          "is required under history: (env:NAME or file:PATH; `lifeboat keys history-key --out FILE` makes one)");
      require(Secrets.isReference(historyEncryptionKey()), "history.encryptionKey",
          "must be a reference (env:NAME or file:PATH), never the key itself");
    }
    if (enc != null) {
      require(enc.passphrase() == null || Secrets.isReference(enc.passphrase()), "encryption.passphrase",
          "must be a reference (env:NAME or file:PATH), never the passphrase itself");
    }
  }

  private static void validateWal(String at, DatabaseConfig db) {
    LifeboatConfig.WalConfig wal = db.wal();
    require(db.engine().equals("postgres") || db.engine().equals("mariadb"), at,
        "is for postgres (WAL archiving) and mariadb (binlog archiving) databases");
    if (db.engine().equals("mariadb")) {
      require(wal.archive() == null || wal.archive().equals(LifeboatConfig.WalConfig.STREAM), at + ".archive",
          "must be stream for mariadb (the binlog read as a replica reads it)");
      require(wal.slot() == null && wal.standbysOrNone().isEmpty() && wal.maxSlotRetained() == null, at,
          "slot, standbys and maxSlotRetained are PostgreSQL's; a MariaDB binlog archive takes partialEvery and maxLag");
    }
    require(wal.archive() == null || wal.archive().equals(LifeboatConfig.WalConfig.STREAM) || wal.command(),
        at + ".archive", "must be stream (WAL over a replication slot) or command (pushed by archive_command)");
    if (wal.command()) {
      require(wal.listen() != null && ListenAddress.valid(wal.listen()), at + ".listen",
          "is required for archive: command, as host:port (where the worker receives WAL, e.g. 127.0.0.1:7391)");
      require(wal.token() != null && Secrets.isReference(wal.token()), at + ".token",
          "is required for archive: command, as a reference (env:NAME or file:PATH), never the token itself");
      require(wal.slot() == null, at + ".slot", "is for archive: stream; archive: command uses no slot");
      require(wal.standbysOrNone().isEmpty(), at + ".standbys", "is for archive: stream (slots kept on standbys);"
          + " with archive: command a promoted standby pushes its own WAL (set archive_mode = always on it)");
    } else {
      require(wal.listen() == null && wal.token() == null, at + ".listen",
          "and token are for archive: command");
    }
    require(wal.slot() == null || wal.slot().matches("[a-z0-9_]{1,63}"), at + ".slot",
        "must be a replication slot name: lowercase letters, digits and _, at most 63");
    for (LifeboatConfig.StandbyRef s : wal.standbysOrNone()) {
      require(s != null && s.url() != null && lifeboat.workflows.model.ConnectionStrings.isPostgresUrl(s.url())
          && !lifeboat.workflows.model.ConnectionStrings.containsPassword(s.url()), at + ".standbys",
          "each is { url: \"postgresql://user@host:5432/db\", password: env:NAME }, the URL without a password");
      require(s.password() == null || Secrets.isReference(s.password()), at + ".standbys.password",
          "must be a reference (env:NAME or file:PATH), never the password itself");
    }
    for (String[] d : new String[][] {{"partialEvery", wal.partialEveryOrDefault()}, {"maxLag", wal.maxLagOrDefault()}}) {
      try {
        lifeboat.workflows.runbook.Durations.parse(d[1]);
      } catch (IllegalArgumentException e) {
        require(false, at + "." + d[0], "must be a duration such as 10s or 5m: " + e.getMessage());
      }
    }
    try {
      Sizes.parse(wal.maxSlotRetainedOrDefault());
    } catch (IllegalArgumentException e) {
      require(false, at + ".maxSlotRetained", e.getMessage());
    }
  }

  private static void validateS3(String at, RepositoryConfig repo) {
    require(repo.bucket() != null && !repo.bucket().isBlank(), at + ".bucket", "is required for an s3 repository");
    require(repo.path() == null, at + ".path", "is for filesystem repositories: an s3 one uses bucket and prefix");
    require((repo.accessKeyId() == null) == (repo.secretAccessKey() == null), at + ".accessKeyId",
        "and secretAccessKey go together (or leave both out to use the SDK's default credential chain)");
    require(repo.accessKeyId() == null || Secrets.isReference(repo.accessKeyId()), at + ".accessKeyId",
        "must be a reference (env:NAME or file:PATH)");
    require(repo.secretAccessKey() == null || Secrets.isReference(repo.secretAccessKey()), at + ".secretAccessKey",
        "must be a reference (env:NAME or file:PATH), never the key itself");
    require(repo.sse() == null || SSE.contains(repo.sse()), at + ".sse", "must be AES256 or aws:kms");
    require(repo.kmsKeyId() == null || "aws:kms".equals(repo.sse()), at + ".kmsKeyId", "needs sse: aws:kms");
    require(repo.partSizeMb() == null || (repo.partSizeMb() >= 5 && repo.partSizeMb() <= 5120), at + ".partSizeMb",
        "must be between 5 and 5120 (S3's part size limits)");
    require(repo.endpoint() == null || repo.endpoint().matches("^https?://[^\\s]+$"), at + ".endpoint",
        "must be an http:// or https:// URL");
    if (repo.objectLock() != null) {
      require(repo.objectLock().mode() != null && LOCK_MODES.contains(repo.objectLock().mode()),
          at + ".objectLock.mode", "must be GOVERNANCE or COMPLIANCE");
      require(repo.objectLock().retainDays() != null && repo.objectLock().retainDays() >= 1,
          at + ".objectLock.retainDays", "must be a number of days, at least 1");
    }
  }

  private static void require(boolean ok, String field, String rule) {
    if (!ok) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, field + " " + rule, "see docs/configuration.md");
    }
  }
}
