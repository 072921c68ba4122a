package lifeboat.activities.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shape of lifeboat.yaml. Documented in docs/configuration.md; unknown fields are rejected on load. */
public record LifeboatConfig(
    Map<String, RepositoryConfig> repositories,
    EncryptionConfig encryption,
    Map<String, DatabaseConfig> databases,
    AlertsConfig alerts) {

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

  /** {@code type: filesystem} with a path (relative paths are relative to lifeboat.yaml). */
  public record RepositoryConfig(String type, String path) {}

  /**
   * @param recipients  public key files; all a backup worker needs
   * @param privateKey  secret key file; only where restores and content verification run
   * @param passphrase  secret reference (env:NAME or file:PATH) unlocking the private key
   */
  public record EncryptionConfig(java.util.List<String> recipients, String privateKey, String passphrase) {}

  /**
   * @param engine              postgres | sqlite
   * @param url                 postgres: libpq URI without a password
   * @param path                sqlite: the database file
   * @param password            secret reference (env:NAME or file:PATH)
   * @param repository          a key of {@code repositories}
   * @param schemaVersionQuery  SQL whose first value is recorded as the schema version
   * @param encryption          "none" to store this database's backups unencrypted, on purpose; else absent
   * @param compressionLevel    zstd level, default 3
   */
  public record DatabaseConfig(
      String engine,
      String url,
      String path,
      String password,
      String repository,
      String schemaVersionQuery,
      String encryption,
      Integer compressionLevel) {

    public boolean unencrypted() {
      return "none".equals(encryption);
    }

    public int zstdLevel() {
      return compressionLevel == null ? 3 : compressionLevel;
    }
  }
}
