package lifeboat.activities.repository;

import java.net.URI;
import java.time.Duration;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.LifeboatConfig.RepositoryConfig;

/**
 * Everything an {@link S3Repository} needs, with secrets already resolved (inside the activity: a settings
 * object never travels through a workflow).
 *
 * @param name            the repository's name in lifeboat.yaml, for messages
 * @param prefix          "" or a folder ending in '/', put in front of every key
 * @param region          null: the SDK's region chain, else us-east-1
 * @param endpoint        null: AWS
 * @param accessKeyId     null: the SDK's default credential chain
 * @param sse             null, AES256 or aws:kms
 * @param lockMode        null (no Object Lock), GOVERNANCE or COMPLIANCE
 * @param lockFor         with lockMode: how long after its write an object stays locked
 */
public record S3Settings(
    String name,
    String bucket,
    String prefix,
    String region,
    URI endpoint,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sse,
    String kmsKeyId,
    long partSizeBytes,
    String lockMode,
    Duration lockFor) {

  public static final int DEFAULT_PART_SIZE_MB = 16;

  public S3Settings {
    prefix = normalizePrefix(prefix);
  }

  /** The settings of a configured {@code type: s3} repository; credentials are resolved here. */
  public static S3Settings of(Config config, String name, RepositoryConfig repo) {
    String at = "repositories." + name;
    var secrets = config.secrets();
    return new S3Settings(name, repo.bucket(), repo.prefix(), repo.region(),
        repo.endpoint() == null ? null : URI.create(repo.endpoint()),
        Boolean.TRUE.equals(repo.pathStyle()),
        secrets.resolve(repo.accessKeyId(), at + ".accessKeyId"),
        secrets.resolve(repo.secretAccessKey(), at + ".secretAccessKey"),
        repo.sse(), repo.kmsKeyId(),
        (repo.partSizeMb() == null ? DEFAULT_PART_SIZE_MB : repo.partSizeMb()) * 1024L * 1024L,
        repo.objectLock() == null ? null : repo.objectLock().mode(),
        repo.objectLock() == null ? null : Duration.ofDays(repo.objectLock().retainDays()));
  }

  /** A plain repository at an endpoint with static credentials: what tests and S3-compatible stores use. */
  public static S3Settings simple(String bucket, String prefix, URI endpoint, String accessKeyId,
      String secretAccessKey, long partSizeBytes) {
    return new S3Settings("s3", bucket, prefix, "us-east-1", endpoint, true, accessKeyId, secretAccessKey, null,
        null, partSizeBytes, null, null);
  }

  public S3Settings withEncryption(String sse, String kmsKeyId) {
    return new S3Settings(name, bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
        kmsKeyId, partSizeBytes, lockMode, lockFor);
  }

  public S3Settings withObjectLock(String mode, Duration lockFor) {
    return new S3Settings(name, bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
        kmsKeyId, partSizeBytes, mode, lockFor);
  }

  public S3Settings withBucket(String otherBucket) {
    return new S3Settings(name, otherBucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse,
        kmsKeyId, partSizeBytes, lockMode, lockFor);
  }

  /** What a client depends on: repositories that share it share one client (and its connection pool). */
  ClientKey clientKey() {
    return new ClientKey(region, endpoint, pathStyle, accessKeyId, secretAccessKey, partSizeBytes);
  }

  record ClientKey(String region, URI endpoint, boolean pathStyle, String accessKeyId, String secretAccessKey,
      long partSizeBytes) {
    @Override
    public String toString() { // never print the secret
      return "ClientKey[" + region + ", " + endpoint + ", pathStyle=" + pathStyle + ", " + accessKeyId + "]";
    }
  }

  @Override
  public String toString() { // never print the secret
    return "S3Settings[" + name + ", s3://" + bucket + "/" + prefix + ", region=" + region + ", endpoint=" + endpoint
        + "]";
  }

  private static String normalizePrefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    String p = prefix.replaceAll("^/+", "").replaceAll("/+$", "");
    return p.isEmpty() ? "" : p + "/";
  }
}
