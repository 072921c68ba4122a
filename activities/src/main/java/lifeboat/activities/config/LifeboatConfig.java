package lifeboat.activities.config;

import java.util.List;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shape of lifeboat.yaml. Documented in docs/configuration.md; unknown fields are rejected on load. */
public record LifeboatConfig(
    Map<String, RepositoryConfig> repositories,
    EncryptionConfig encryption,
    Map<String, DatabaseConfig> databases,
    AlertsConfig alerts,
    HistoryConfig history) {

  public LifeboatConfig {
    repositories = repositories == null ? Map.of() : new LinkedHashMap<>(repositories);
    databases = databases == null ? Map.of() : new LinkedHashMap<>(databases);
  }

  /**
   * Where alarms of `lifeboat check` and CheckWorkflow go.
   *
   * @param webhook  secret reference (env:NAME or file:PATH) to a URL that takes Slack-compatible JSON
   *                 ({@code {"text": ...}}): a Slack incoming webhook, Mattermost, or anything that accepts it
   */
  public record AlertsConfig(String webhook) {}

  /**
   * Workflow history as a shared Temporal cluster stores it (docs/configuration.md#history).
   *
   * @param encryptionKey  secret reference (env:NAME or file:PATH) to 32 random bytes in base64: every payload
   *                       workers and the CLI write to Temporal is AES-256-GCM encrypted with it
   */
  public record HistoryConfig(String encryptionKey) {}

  /**
   * {@code type: filesystem} with a path (relative paths are relative to lifeboat.yaml), or {@code type: s3}
   * with a bucket and the S3 fields below. Documented field by field in docs/configuration.md.
   *
   * @param bucket          s3: the bucket, which must exist
   * @param prefix          s3: folder inside the bucket every key is put under (optional)
   * @param region          s3: e.g. eu-west-1; default: the SDK's region chain, else us-east-1
   * @param endpoint        s3: URL of an S3-compatible store (MinIO, R2, B2); default: AWS
   * @param pathStyle       s3: {@code https://endpoint/bucket/key} instead of {@code https://bucket.endpoint/key}
   * @param accessKeyId     s3: secret reference; with secretAccessKey, else the SDK's default credential chain
   * @param secretAccessKey s3: secret reference
   * @param sse             s3: server-side encryption, {@code AES256} or {@code aws:kms}
   * @param kmsKeyId        s3: the KMS key for {@code sse: aws:kms} (default: the bucket's AWS managed key)
   * @param partSizeMb      s3: multipart part size in MiB, 5 to 5120, default 16
   * @param objectLock      s3: S3 Object Lock retention put on every object written
   */
  public record RepositoryConfig(
      String type,
      String path,
      String bucket,
      String prefix,
      String region,
      String endpoint,
      Boolean pathStyle,
      String accessKeyId,
      String secretAccessKey,
      String sse,
      String kmsKeyId,
      Integer partSizeMb,
      ObjectLockConfig objectLock) {

    /** {@code type: filesystem} at a path. */
    public static RepositoryConfig filesystem(String path) {
      return new RepositoryConfig("filesystem", path, null, null, null, null, null, null, null, null, null, null,
          null);
    }
  }

  /**
   * @param mode        GOVERNANCE (a user with s3:BypassGovernanceRetention can still delete) or COMPLIANCE (nobody
   *                    can, not even the root account, until the date passes)
   * @param retainDays  each object is retained until its write time plus this many days
   */
  public record ObjectLockConfig(String mode, Integer retainDays) {}

  /**
   * @param recipients  public key files; all a backup worker needs
   * @param privateKey  secret key file; only where restores and content verification run
   * @param passphrase  secret reference (env:NAME or file:PATH) unlocking the private key
   */
  public record EncryptionConfig(java.util.List<String> recipients, String privateKey, String passphrase) {}

  /**
   * @param engine              postgres | sqlite | mariadb
   * @param url                 postgres: libpq URI without a password; mariadb: mariadb://user@host:port/db
   * @param path                sqlite: the database file
   * @param password            secret reference (env:NAME or file:PATH)
   * @param repository          a key of {@code repositories}
   * @param schemaVersionQuery  SQL whose first value is recorded as the schema version
   * @param encryption          "none" to store this database's backups unencrypted, on purpose; else absent
   * @param compressionLevel    zstd level, default 1 (docs/benchmarks.md: on a real pg_dump it is faster than 3
   *                            and no larger)
   * @param wal                 postgres: continuous WAL archiving for point-in-time recovery (docs/pitr.md)
   * @param allowNonTransactional  mariadb: dump a database with MyISAM/Aria/MEMORY... tables under a read lock
   *                            (--lock-tables) instead of failing with NON_TRANSACTIONAL_TABLES (docs/mariadb.md)
   */
  public record DatabaseConfig(
      String engine,
      String url,
      String path,
      String password,
      String repository,
      String schemaVersionQuery,
      String encryption,
      Integer compressionLevel,
      WalConfig wal,
      Boolean allowNonTransactional) {

    public boolean allowsNonTransactional() {
      return Boolean.TRUE.equals(allowNonTransactional);
    }

    public boolean unencrypted() {
      return "none".equals(encryption);
    }

    /**
     * Level 1, not zstd's usual 3: on a pg_dump of mixed application data it ran 2.3x faster and stored
     * 2% less (docs/benchmarks.md), and on two cores compression is what the dump waits for.
     */
    public static final int DEFAULT_ZSTD_LEVEL = 1;

    public int zstdLevel() {
      return compressionLevel == null ? DEFAULT_ZSTD_LEVEL : compressionLevel;
    }
  }

  /**
   * A database's WAL archive (docs/pitr.md).
   *
   * @param archive          how WAL reaches the repository: {@code stream} (a replication slot; the default), or
   *                         {@code command} (PostgreSQL's archive_command pushes each file to the worker over HTTP,
   *                         for hosts that allow no replication connection)
   * @param slot             the physical replication slot, default {@code lifeboat_<database>} (stream only)
   * @param partialEvery     how often the segment being written is stored so far (the recovery point), default 10s
   * @param maxLag           `lifeboat check` alarms when the newest stored WAL is older than this while the server
   *                         has written more, default 5m
   * @param maxSlotRetained  `lifeboat check` alarms when the slot holds more WAL than this on the server (a stuck
   *                         archive filling the primary's disk), default 1GB
   * @param listen           command only: where the worker receives pushed WAL, {@code host:port}
   * @param token            command only: the bearer token a push must carry, a secret reference (env:NAME, file:PATH)
   */
  /**
   * @param standbys  streaming standbys the archive keeps its slot on too, so a failover to one of them loses no
   *                  WAL the archive had not stored yet (docs/pitr.md, after a failover)
   */
  public record WalConfig(String archive, String slot, String partialEvery, String maxLag, String maxSlotRetained,
      String listen, String token, List<StandbyRef> standbys) {
    public static final String STREAM = "stream";
    public static final String COMMAND = "command";

    /** Whether PostgreSQL's archive_command pushes the WAL (else the worker streams it from a slot). */
    public boolean command() {
      return COMMAND.equals(archive);
    }

    public List<StandbyRef> standbysOrNone() {
      return standbys == null ? List.of() : standbys;
    }

    public String slotFor(String database) {
      return slot != null ? slot : "lifeboat_" + database.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    public String partialEveryOrDefault() {
      return partialEvery != null ? partialEvery : "10s";
    }

    public String maxLagOrDefault() {
      return maxLag != null ? maxLag : "5m";
    }

    public String maxSlotRetainedOrDefault() {
      return maxSlotRetained != null ? maxSlotRetained : "1GB";
    }
  }

  /** A standby of wal.standbys: a libpq URL without a password, and a secret reference for it. */
  public record StandbyRef(String url, String password) {}
}
