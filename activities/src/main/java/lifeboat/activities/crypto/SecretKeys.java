package lifeboat.activities.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/** The private keys of a file such as {@code gpg --export-secret-keys --armor} writes. */
final class SecretKeys {
  private static final String KIND = "private key";

  private final Path file;
  private final PGPSecretKeyRingCollection rings;

  private SecretKeys(Path file, PGPSecretKeyRingCollection rings) {
    this.file = file;
    this.rings = rings;
  }

  /** Fails with KEY_MISSING or KEY_INVALID. */
  static SecretKeys load(Path file) {
    List<PGPSecretKeyRingCollection> blocks = KeyFiles.read(file, KIND,
        in -> new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator()));
    List<PGPSecretKeyRing> all = new ArrayList<>();
    blocks.forEach(block -> block.forEach(all::add));
    PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(all);
    if (rings.size() == 0) {
      throw KeyFiles.invalid(file, KIND, "no key in the file");
    }
    return new SecretKeys(file, rings);
  }

  boolean has(long keyId) throws PGPException {
    return rings.getSecretKey(keyId) != null;
  }

  /** Primary key fingerprints, to tell the user which key is configured. */
  List<String> fingerprints() {
    List<String> fingerprints = new ArrayList<>();
    for (PGPSecretKeyRing ring : rings) {
      fingerprints.add(KeyIds.fingerprint(ring.getPublicKey()));
    }
    return fingerprints;
  }

  /** Every key id in the file, primary keys and subkeys, as a message's recipient list names them. */
  List<Long> keyIds() {
    List<Long> ids = new ArrayList<>();
    for (PGPSecretKeyRing ring : rings) {
      ring.getSecretKeys().forEachRemaining(key -> ids.add(key.getKeyID()));
    }
    return ids;
  }

  /** The primary key fingerprint of the ring holding {@code keyId}. */
  String primaryOf(long keyId) throws PGPException {
    return KeyIds.fingerprint(rings.getSecretKeyRing(keyId).getPublicKey());
  }

  /** Unlocks the key {@code keyId}; a null or empty passphrase is for keys stored without protection. */
  PGPPrivateKey unlock(long keyId, char[] passphrase) throws PGPException {
    PGPSecretKeyRing ring = rings.getSecretKeyRing(keyId);
    PGPSecretKey key = ring.getSecretKey(keyId);
    String primary = KeyIds.fingerprint(ring.getPublicKey());
    PGPPrivateKey privateKey;
    try {
      privateKey = key.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
          .build(passphrase == null ? new char[0] : passphrase));
    } catch (PGPException e) {
      // A wrong passphrase shows up as a checksum or AEAD failure; the cause is not attached (it may quote bytes).
      throw new LifeboatException(ErrorCode.WRONG_PASSPHRASE,
          "the passphrase does not unlock private key " + primary,
          "check the environment variable or secret named in encryption.passphrase");
    }
    if (privateKey == null) {
      // gpg exports a stub ("gnu-dummy") when the secret part lives on a smartcard or was removed.
      throw KeyFiles.invalid(file, KIND, "the secret part of subkey " + KeyIds.keyId(keyId) + " of "
          + primary + " is not in the file");
    }
    return privateKey;
  }
}
