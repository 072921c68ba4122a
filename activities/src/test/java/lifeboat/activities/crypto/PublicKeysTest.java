package lifeboat.activities.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeysTest {
  static GpgKeys curve;
  static GpgKeys rsa;

  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    curve = GpgKeys.generate(Algorithm.CURVE25519, "curve pass");
    rsa = GpgKeys.generate(Algorithm.RSA3072, "rsa pass");
  }

  @AfterAll
  static void close() {
    curve.close();
    rsa.close();
  }

  @Test
  void picksTheEncryptionSubkeyAndReportsThePrimaryFingerprint() {
    for (GpgKeys keys : List.of(curve, rsa)) {
      List<RecipientKey> recipients = PublicKeys.load(keys.publicKeyFile());
      assertEquals(1, recipients.size());
      RecipientKey recipient = recipients.get(0);
      assertEquals(keys.fingerprint(), recipient.fingerprint());
      assertEquals(GpgKeys.USER_ID, recipient.userId());
      // The RSA primary key could encrypt by algorithm, but was made "cert" only: the subkey must win.
      assertFalse(recipient.encryptionKey().isMasterKey());
      assertEquals(keys.keyIds().get(1), KeyIds.keyId(recipient.encryptionKey().getKeyID()));
    }
  }

  @Test
  void severalArmorBlocksGiveOneRecipientEach() throws Exception {
    Path both = dir.resolve("both.asc");
    Files.write(both, Files.readAllBytes(curve.publicKeyFile()));
    Files.write(both, Files.readAllBytes(rsa.publicKeyFile()), java.nio.file.StandardOpenOption.APPEND);
    List<String> fingerprints = PublicKeys.load(both).stream().map(RecipientKey::fingerprint).toList();
    assertEquals(List.of(curve.fingerprint(), rsa.fingerprint()), fingerprints);
  }

  @Test
  void missingFileIsKeyMissing() {
    Path missing = dir.resolve("nope.asc");
    LifeboatException e = assertThrows(LifeboatException.class, () -> PublicKeys.load(missing));
    assertEquals(ErrorCode.KEY_MISSING, e.code());
    assertEquals("public key file not found: " + missing, e.getMessage());
    assertTrue(e.hint() != null && !e.hint().isBlank());
  }

  @Test
  void notAKeyIsKeyInvalid() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.asc"), "this is not a key\n".repeat(20));
    assertEquals(ErrorCode.KEY_INVALID,
        assertThrows(LifeboatException.class, () -> PublicKeys.load(garbage)).code());
  }

  @Test
  void aSecretKeyFileIsNotAPublicKeyFile() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> PublicKeys.load(curve.secretKeyFile()));
    assertEquals(ErrorCode.KEY_INVALID, e.code());
  }
}
