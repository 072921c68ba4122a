package lifeboat.activities.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which errors a restore retries: a repository stream that fails while the message's header is read is a
 * storage failure (retried), bytes that are not an OpenPGP message are a corrupt backup (never retried).
 */
class KeysTest {
  static GpgKeys keys;
  @TempDir Path dir;

  @BeforeAll
  static void generate() {
    keys = GpgKeys.generate(Algorithm.CURVE25519, "keys-test-pass");
  }

  @AfterAll
  static void close() {
    keys.close();
  }

  private Config config() throws IOException {
    Files.writeString(dir.resolve("passphrase"), keys.passphrase() + "\n");
    return ConfigLoader.load(Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: ./repo }
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase
        databases:
          app: { engine: sqlite, path: app.db, repository: local }
        """.formatted(keys.publicKeyFile(), keys.secretKeyFile())));
  }

  @Test
  void aStreamThatFailsWhileTheHeaderIsReadIsAStorageFailureThatIsRetried() throws IOException {
    InputStream resetAtOnce = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("Connection reset");
      }
    };
    Config cfg = config();
    LifeboatException e = assertThrows(LifeboatException.class, () -> Keys.decrypt(cfg, resetAtOnce));
    assertEquals(ErrorCode.STORAGE_FAILED, e.code(), e.getMessage());
    assertFalse(e.code().userFixable(), "retried");
    assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
  }

  @Test
  void bytesThatAreNoOpenPgpMessageAreACorruptBackupThatIsNot() throws IOException {
    Config cfg = config();
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Keys.decrypt(cfg, new ByteArrayInputStream("SQLite format 3\0 not encrypted".getBytes())));
    assertEquals(ErrorCode.CORRUPT_BACKUP, e.code(), e.getMessage());
    assertTrue(e.code().userFixable(), "not retried");
  }
}
