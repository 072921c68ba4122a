package lifeboat.activities.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: s3} repositories in lifeboat.yaml: what loads, what is refused, how settings come out. */
class S3ConfigTest {
  private static final String DATABASES = """
      databases:
        app: { engine: sqlite, path: app.db, repository: offsite, encryption: none }
      """;

  @TempDir Path dir;

  private Config load(String repository) throws IOException {
    return ConfigLoader.load(Files.writeString(dir.resolve("lifeboat.yaml"),
        "repositories:\n  offsite:\n" + repository.indent(4) + DATABASES));
  }

  private LifeboatException invalid(String repository, String field) {
    LifeboatException e = assertThrows(LifeboatException.class, () -> load(repository));
    assertEquals(ErrorCode.CONFIG_INVALID, e.code(), e.userMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
    return e;
  }

  @Test
  void everyFieldLoadsIntoSettingsWithSecretsResolvedByTheWorker() throws IOException {
    Files.writeString(dir.resolve("key-id"), "AKIDEXAMPLE\n");
    Files.writeString(dir.resolve("secret"), "wJalrXUtnFEMI-secret\n");
    Config config = load("""
        type: s3
        bucket: acme-backups
        prefix: /lifeboat/prod/
        region: eu-west-1
        endpoint: https://minio.internal:9000
        pathStyle: true
        accessKeyId: file:key-id
        secretAccessKey: file:secret
        sse: aws:kms
        kmsKeyId: alias/backups
        partSizeMb: 32
        objectLock: { mode: GOVERNANCE, retainDays: 30 }
        """);
    S3Settings s = S3Settings.of(config, "offsite", config.repository("offsite"));
    assertEquals("acme-backups", s.bucket());
    assertEquals("lifeboat/prod/", s.prefix());
    assertEquals("eu-west-1", s.region());
    assertEquals("https://minio.internal:9000", s.endpoint().toString());
    assertTrue(s.pathStyle());
    assertEquals("AKIDEXAMPLE", s.accessKeyId());
    assertEquals("wJalrXUtnFEMI-secret", s.secretAccessKey());
    assertEquals("aws:kms", s.sse());
    assertEquals("alias/backups", s.kmsKeyId());
    assertEquals(32L * 1024 * 1024, s.partSizeBytes());
    assertEquals("GOVERNANCE", s.lockMode());
    assertEquals(30, s.lockFor().toDays());
    assertFalse(s.toString().contains("wJalrXUtnFEMI-secret"));
  }

  @Test
  void aBucketAloneIsEnoughAndDefaultsApply() throws IOException {
    Config config = load("{ type: s3, bucket: b }");
    S3Settings s = S3Settings.of(config, "offsite", config.repository("offsite"));
    assertEquals("", s.prefix());
    assertEquals(S3Settings.DEFAULT_PART_SIZE_MB * 1024L * 1024, s.partSizeBytes());
    assertEquals(null, s.accessKeyId(), "the SDK's default credential chain");
    assertFalse(s.pathStyle());
  }

  @Test
  void invalidS3RepositoriesAreRefusedNamingTheField() {
    invalid("{ type: s3, prefix: x }", "repositories.offsite.bucket");
    invalid("{ type: s3, bucket: b, path: ./repo }", "repositories.offsite.path");
    invalid("{ type: s3, bucket: b, sse: aes }", "repositories.offsite.sse");
    invalid("{ type: s3, bucket: b, kmsKeyId: k }", "repositories.offsite.kmsKeyId");
    invalid("{ type: s3, bucket: b, partSizeMb: 1 }", "repositories.offsite.partSizeMb");
    invalid("{ type: s3, bucket: b, endpoint: 'minio:9000' }", "repositories.offsite.endpoint");
    invalid("{ type: s3, bucket: b, objectLock: { mode: FOREVER, retainDays: 3 } }", "objectLock.mode");
    invalid("{ type: s3, bucket: b, objectLock: { mode: COMPLIANCE } }", "objectLock.retainDays");
    invalid("{ type: s3, bucket: b, accessKeyId: env:K }", "repositories.offsite.accessKeyId");
    invalid("{ type: filesystem, path: repo, bucket: b }", "repositories.offsite");
    invalid("{ type: ftp, path: repo }", "repositories.offsite.type");
  }

  @Test
  void literalCredentialsAreRefusedWithoutBeingQuoted() {
    LifeboatException e = invalid("{ type: s3, bucket: b, accessKeyId: env:K, secretAccessKey: Sup3rS3cret }",
        "secretAccessKey");
    assertFalse(e.userMessage().contains("Sup3rS3cret"), e.userMessage());
  }

  @Test
  void unknownS3FieldsAreStillRejected() {
    LifeboatException e = invalid("{ type: s3, bucket: b, buckett: c }", "unknown field 'buckett'");
    assertTrue(e.hint().contains("secretAccessKey"), e.hint());
  }
}
