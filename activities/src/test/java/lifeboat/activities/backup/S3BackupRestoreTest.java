package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.restore.RestoreActivitiesImpl;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import lifeboat.activities.testing.S3ProxyServer;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite database backed up into an {@code type: s3} repository configured in lifeboat.yaml, verified, and
 * restored, through the activity implementations, against a real S3-compatible server and real keys.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3BackupRestoreTest {
  static final String PASSPHRASE = "S3-Backup-Passphrase-4e1";
  static GpgKeys keys;

  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    keys = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
  }

  @AfterAll
  static void closeKeys() {
    if (keys != null) {
      keys.close();
    }
  }

  @Test
  void sqliteBackupToS3VerifiesAndRestores(S3ProxyServer s3) throws Exception {
    SqliteFiles.sample(dir.resolve("lite.db"), 5000);
    Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
    Files.writeString(dir.resolve("s3-key-id.txt"), S3ProxyServer.IDENTITY + "\n");
    Files.writeString(dir.resolve("s3-secret.txt"), S3ProxyServer.CREDENTIAL + "\n");
    String bucket = s3.newBucket();
    Path configFile = dir.resolve("lifeboat.yaml");
    Files.writeString(configFile, """
        repositories:
          offsite:
            type: s3
            bucket: %s
            prefix: lifeboat/prod
            region: us-east-1
            endpoint: %s
            pathStyle: true
            accessKeyId: file:s3-key-id.txt
            secretAccessKey: file:s3-secret.txt
            partSizeMb: 5
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          lite:
            engine: sqlite
            path: lite.db
            repository: offsite
        """.formatted(bucket, s3.endpoint(), keys.publicKeyFile(), keys.secretKeyFile()));
    Workspace workspace = Workspace.fromFile(configFile);
    BackupActivitiesImpl backup = new BackupActivitiesImpl(workspace);
    RestoreActivitiesImpl restore = new RestoreActivitiesImpl(workspace);
    Repository repo = workspace.repository(workspace.config(), "offsite");

    String id = "20250101T000000Z-1";
    BackupManifest m = backup.dump("lite", id, null, Progress.none());
    assertEquals("offsite", m.repository());
    assertEquals("s3://" + bucket + "/lifeboat/prod/" + BackupLayout.objectKey("lite", id, true), m.location());
    assertEquals(m.storedBytes(), s3.client().headObject(b -> b.bucket(bucket)
        .key("lifeboat/prod/" + m.objectKey())).contentLength());
    assertEquals(List.of(), Manifests.list(repo, "lite"), "no manifest yet: the backup does not exist");

    String verification = Verification.verify(workspace.config(), repo, m, workspace.engine("sqlite"),
        Progress.none());
    assertTrue(verification.startsWith("sha256 ok; "), verification);
    BackupManifest verified = m.withVerification(true, verification);
    Manifests.write(repo, verified);
    assertEquals(List.of(verified), Manifests.list(repo, "lite"));

    Path target = dir.resolve("restored.db");
    Verification.checksum(repo, verified, Progress.none());
    var result = restore.restore(new RestoreRequest("lite", id, target.toString(), null, 1, false), verified,
        Progress.none());
    assertEquals(m.storedBytes(), result.restoredBytes());
    assertEquals(5000, SqliteFiles.count(target, "items"));
    assertEquals(3, SqliteFiles.count(target, "notes"));
    assertEquals(List.of(), s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads());
  }
}
