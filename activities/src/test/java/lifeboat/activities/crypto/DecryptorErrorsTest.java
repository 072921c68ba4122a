package lifeboat.activities.crypto;

import static lifeboat.activities.crypto.EncryptDecryptTest.decrypt;
import static lifeboat.activities.crypto.EncryptDecryptTest.encrypt;
import static lifeboat.activities.crypto.EncryptDecryptTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecryptorErrorsTest {
  static final String PASSPHRASE = "s3cret-Passphrase-42";
  static GpgKeys alice;
  static GpgKeys bob;
  static byte[] plain;
  static byte[] cipher;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws IOException {
    alice = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
    bob = GpgKeys.generate(Algorithm.CURVE25519, "bob's pass");
    plain = payload(300_000);
    cipher = encrypt(plain, alice);
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
  }

  static LifeboatException failsReading(byte[] message, GpgKeys keys) {
    return assertThrows(LifeboatException.class, () -> decrypt(message, keys));
  }

  /** The same plaintext encrypted by Encryptor and by gpg (uncompressed, so the data is where we cut). */
  List<byte[]> ourAndGpgsMessages() throws IOException {
    Path in = Files.write(dir.resolve("plain"), plain);
    Path gpgMade = dir.resolve("gpg-made.gpg");
    alice.encryptWithGpg(in, gpgMade, "-z", "0");
    return List.of(cipher, Files.readAllBytes(gpgMade));
  }

  /** A SIGTERM'd worker's heartbeat fails mid-read: that is the worker ending, never a corrupt backup. */
  @Test
  void aWorkerShuttingDownMidReadIsNotACorruptBackup() {
    for (int cut : new int[] {10, cipher.length / 2}) {
      InputStream ending = new java.io.FilterInputStream(new ByteArrayInputStream(cipher)) {
        private int read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (read >= cut) {
            throw new io.temporal.client.ActivityWorkerShutdownException(); // what Activity heartbeats throw
          }
          int n = super.read(b, off, Math.min(len, cut - read));
          read += Math.max(n, 0);
          return n;
        }
      };
      assertThrows(io.temporal.client.ActivityWorkerShutdownException.class, () -> {
        try (InputStream in = Decryptor.decrypt(ending, alice.secretKeyFile(), PASSPHRASE.toCharArray())) {
          in.readAllBytes();
        }
      }, "cut at " + cut);
    }
  }

  @Test
  void wrongPassphrase() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> Decryptor.decrypt(
        new ByteArrayInputStream(cipher), alice.secretKeyFile(), "wrong-Passphrase-99".toCharArray()));
    assertEquals(ErrorCode.WRONG_PASSPHRASE, e.code());
    assertEquals("the passphrase does not unlock private key " + alice.fingerprint(), e.getMessage());
    assertTrue(e.hint().contains("encryption.passphrase"));
    assertFalse(e.userMessage().contains("wrong-Passphrase-99"));
    assertFalse(e.userMessage().contains(PASSPHRASE));
  }

  @Test
  void missingPassphraseForAProtectedKey() {
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Decryptor.decrypt(new ByteArrayInputStream(cipher), alice.secretKeyFile(), null));
    assertEquals(ErrorCode.WRONG_PASSPHRASE, e.code());
  }

  @Test
  void messageForAnotherKey() {
    LifeboatException e = failsReading(cipher, bob);
    assertEquals(ErrorCode.KEY_MISMATCH, e.code());
    assertTrue(e.getMessage().startsWith("the backup was not encrypted to this worker's private key"),
        e.getMessage());
    String aliceSubkey = alice.keyIds().get(1);
    assertTrue(e.getMessage().contains(aliceSubkey), e.getMessage());
    // Ours as key ids too, so the two lists compare by eye; and the fingerprint gpg shows first.
    for (String bobsKeyId : bob.keyIds()) {
      assertTrue(e.getMessage().contains(bobsKeyId), e.getMessage());
    }
    assertTrue(e.getMessage().contains(bob.fingerprint()), e.getMessage());
    assertFalse(e.userMessage().contains(PASSPHRASE));
    assertTrue(e.hint().contains("private key"));
  }

  @Test
  void checkKeyNeedsOnlyTheHeaderAndSaysWhichKeyOpensIt() throws IOException {
    byte[] header = Arrays.copyOf(cipher, 1024); // the data after it is never read, so never decrypted
    String opener = Decryptor.checkKey(new ByteArrayInputStream(header), alice.secretKeyFile(),
        PASSPHRASE.toCharArray());
    assertEquals("key id " + alice.keyIds().get(1) + " of " + alice.fingerprint() + " opens it", opener);
  }

  @Test
  void checkKeyFailsAsDecryptWouldForAnotherKeyOrAWrongPassphrase() {
    LifeboatException other = assertThrows(LifeboatException.class, () -> Decryptor.checkKey(
        new ByteArrayInputStream(cipher), bob.secretKeyFile(), "bob's pass".toCharArray()));
    assertEquals(ErrorCode.KEY_MISMATCH, other.code());
    LifeboatException locked = assertThrows(LifeboatException.class, () -> Decryptor.checkKey(
        new ByteArrayInputStream(cipher), alice.secretKeyFile(), "wrong-Passphrase-99".toCharArray()));
    assertEquals(ErrorCode.WRONG_PASSPHRASE, locked.code());
  }

  @Test
  void flippedByteInTheMiddleIsDetected() throws IOException {
    for (byte[] message : ourAndGpgsMessages()) {
      for (int position : new int[] {message.length / 2, message.length / 3, message.length - 30}) {
        byte[] tampered = message.clone();
        tampered[position] ^= 0x01;
        assertEquals(ErrorCode.CORRUPT_BACKUP, failsReading(tampered, alice).code(), "flip at " + position);
      }
    }
  }

  @Test
  void tamperingIsReportedOnCloseEvenIfTheReaderStopsEarly() throws IOException {
    byte[] tampered = cipher.clone();
    tampered[tampered.length - 100] ^= 0x40;
    InputStream in = Decryptor.decrypt(new ByteArrayInputStream(tampered), alice.secretKeyFile(),
        PASSPHRASE.toCharArray());
    assertEquals(100, in.readNBytes(100).length);
    assertEquals(ErrorCode.CORRUPT_BACKUP, assertThrows(LifeboatException.class, in::close).code());
  }

  @Test
  void truncatedMessageFails() throws IOException {
    for (byte[] message : ourAndGpgsMessages()) {
      for (int cut : new int[] {1, 10, 22, 23, 1000, message.length / 2, message.length - 200}) {
        byte[] truncated = Arrays.copyOf(message, message.length - cut);
        assertEquals(ErrorCode.CORRUPT_BACKUP, failsReading(truncated, alice).code(), "cut " + cut);
      }
    }
  }

  @Test
  void garbageIsCorruptBackup() {
    for (byte[] garbage : List.of(payload(5000), "hello, not a backup\n".getBytes(), new byte[0])) {
      assertEquals(ErrorCode.CORRUPT_BACKUP, failsReading(garbage, alice).code());
    }
  }

  @Test
  void failingSourceStaysAnIOException() {
    InputStream dropsOut = new InputStream() {
      private final InputStream data = new ByteArrayInputStream(cipher, 0, cipher.length / 2);

      @Override
      public int read() throws IOException {
        int b = data.read();
        if (b < 0) {
          throw new IOException("connection reset");
        }
        return b;
      }
    };
    IOException e = assertThrows(IOException.class, () -> {
      try (InputStream in = Decryptor.decrypt(dropsOut, alice.secretKeyFile(), PASSPHRASE.toCharArray())) {
        in.readAllBytes();
      }
    });
    assertEquals("connection reset", e.getMessage());
  }

  @Test
  void missingKeyFile() {
    Path missing = dir.resolve("missing.asc");
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Decryptor.decrypt(new ByteArrayInputStream(cipher), missing, PASSPHRASE.toCharArray()));
    assertEquals(ErrorCode.KEY_MISSING, e.code());
    assertTrue(e.getMessage().contains(missing.toString()));
  }

  @Test
  void unreadableKeyFile() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.asc"), "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n");
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> Decryptor.decrypt(new ByteArrayInputStream(cipher), bad, PASSPHRASE.toCharArray()));
    assertEquals(ErrorCode.KEY_INVALID, e.code());
  }
}
