package lifeboat.activities.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through Encryptor and Decryptor, and interoperability with real gpg in both directions. */
class EncryptDecryptTest {
  static GpgKeys curve;
  static GpgKeys rsa;
  static GpgKeys other;
  static GpgKeys unprotected;

  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    curve = GpgKeys.generate(Algorithm.CURVE25519, "correct horse battery");
    rsa = GpgKeys.generate(Algorithm.RSA3072, "rsa staple");
    other = GpgKeys.generate(Algorithm.CURVE25519, "other pass");
    unprotected = GpgKeys.generate(Algorithm.CURVE25519, "");
  }

  @AfterAll
  static void close() {
    for (GpgKeys keys : List.of(curve, rsa, other, unprotected)) {
      keys.close();
    }
  }

  /** Several MB, compressible in parts and random in others, with a length that is not a buffer multiple. */
  static byte[] payload(int size) {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    for (int i = 0; i < size / 3; i++) {
      data[i] = (byte) ('a' + i % 26);
    }
    return data;
  }

  static byte[] encrypt(byte[] plain, GpgKeys... recipients) throws IOException {
    List<RecipientKey> keys = new ArrayList<>();
    for (GpgKeys recipient : recipients) {
      keys.addAll(PublicKeys.load(recipient.publicKeyFile()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream encrypting = Encryptor.encrypt(out, keys)) {
      encrypting.write(plain);
    }
    return out.toByteArray();
  }

  static byte[] decrypt(byte[] cipher, GpgKeys keys) throws IOException {
    char[] passphrase = keys.passphrase().toCharArray();
    try (InputStream in = Decryptor.decrypt(new ByteArrayInputStream(cipher), keys.secretKeyFile(), passphrase)) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripOfSeveralMegabytes() throws IOException {
    byte[] plain = payload(5 * 1024 * 1024 + 123);
    byte[] cipher = encrypt(plain, curve);
    assertNotEquals(0, cipher.length);
    assertFalse(new String(cipher, 0, 4096, java.nio.charset.StandardCharsets.ISO_8859_1).contains("abcdefghij"),
        "the plaintext must not show through");
    assertArrayEquals(plain, decrypt(cipher, curve));
  }

  @Test
  void roundTripOfEmptyInput() throws IOException {
    assertArrayEquals(new byte[0], decrypt(encrypt(new byte[0], curve), curve));
  }

  @Test
  void byteByByteWritesAndReadsWork() throws IOException {
    byte[] plain = payload(70_000); // crosses one partial-packet boundary
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream encrypting = Encryptor.encrypt(out, PublicKeys.load(rsa.publicKeyFile()))) {
      for (byte b : plain) {
        encrypting.write(b);
      }
    }
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    try (InputStream in = Decryptor.decrypt(new ByteArrayInputStream(out.toByteArray()), rsa.secretKeyFile(),
        rsa.passphrase().toCharArray())) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        back.write(b);
      }
    }
    assertArrayEquals(plain, back.toByteArray());
  }

  @Test
  void closingTheEncryptingStreamLeavesTheCallersStreamOpen() throws IOException {
    boolean[] closed = {false};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream callers = new FilterOutputStream(bytes) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    OutputStream encrypting = Encryptor.encrypt(callers, PublicKeys.load(curve.publicKeyFile()));
    encrypting.write(payload(1000));
    encrypting.close();
    encrypting.close(); // idempotent
    assertFalse(closed[0]);
    int length = bytes.size();
    callers.write(1); // still usable
    assertEquals(length + 1, bytes.size());
  }

  @Test
  void gpgDecryptsOurOutputByteIdentical() throws IOException {
    byte[] plain = payload(3 * 1024 * 1024 + 7);
    for (GpgKeys keys : List.of(curve, rsa)) {
      Path cipher = Files.write(dir.resolve("backup.gpg"), encrypt(plain, keys));
      Path out = dir.resolve("backup.out");
      keys.decryptWithGpg(cipher, out);
      assertArrayEquals(plain, Files.readAllBytes(out), "key " + keys.fingerprint());
    }
  }

  @Test
  void decryptsWhatGpgEncrypted() throws IOException {
    byte[] plain = payload(2 * 1024 * 1024 + 1);
    Path in = Files.write(dir.resolve("plain"), plain);
    for (GpgKeys keys : List.of(curve, rsa)) {
      // gpg's default compresses (a compression packet inside), -z 0 does not.
      for (String[] args : List.of(new String[0], new String[] {"-z", "0"})) {
        Path cipher = dir.resolve("gpg-made.gpg");
        keys.encryptWithGpg(in, cipher, args);
        assertArrayEquals(plain, decrypt(Files.readAllBytes(cipher), keys),
            "key " + keys.fingerprint() + " args " + List.of(args));
      }
    }
  }

  @Test
  void everyRecipientCanDecryptAlone() throws IOException {
    byte[] plain = payload(100_000);
    byte[] cipher = encrypt(plain, curve, rsa);
    assertArrayEquals(plain, decrypt(cipher, curve));
    assertArrayEquals(plain, decrypt(cipher, rsa));
    Path file = Files.write(dir.resolve("two.gpg"), cipher);
    rsa.decryptWithGpg(file, dir.resolve("two.out"));
    assertArrayEquals(plain, Files.readAllBytes(dir.resolve("two.out")));
  }

  @Test
  void picksOurKeyAmongGpgsRecipients() throws IOException {
    byte[] plain = payload(50_000);
    Path in = Files.write(dir.resolve("plain"), plain);
    Path cipher = dir.resolve("multi.gpg");
    curve.encryptWithGpg(in, cipher, "--recipient-file", other.publicKeyFile().toString());
    assertArrayEquals(plain, decrypt(Files.readAllBytes(cipher), other));
    assertArrayEquals(plain, decrypt(Files.readAllBytes(cipher), curve));
  }

  @Test
  void unprotectedKeyNeedsNoPassphrase() throws IOException {
    byte[] plain = payload(10_000);
    byte[] cipher = encrypt(plain, unprotected);
    for (char[] passphrase : new char[][] {null, new char[0]}) {
      try (InputStream in = Decryptor.decrypt(new ByteArrayInputStream(cipher), unprotected.secretKeyFile(),
          passphrase)) {
        assertArrayEquals(plain, in.readAllBytes());
      }
    }
  }
}
