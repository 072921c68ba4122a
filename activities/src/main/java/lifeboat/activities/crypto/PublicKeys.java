package lifeboat.activities.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** Loads backup recipients from a public key file such as {@code gpg --export --armor} writes. */
public final class PublicKeys {
  private static final String KIND = "public key";

  private PublicKeys() {}

  /**
   * One recipient per key ring in the file: its newest usable encryption key (normally the encryption subkey;
   * an ed25519 or "sign,cert" RSA primary key is skipped). Fails with KEY_MISSING or KEY_INVALID.
   */
  public static List<RecipientKey> load(Path file) {
    List<PGPPublicKeyRingCollection> blocks = KeyFiles.read(file, KIND,
        in -> new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()));
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    blocks.forEach(block -> block.forEach(rings::add));
    List<RecipientKey> recipients = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey primary = ring.getPublicKey();
      PGPPublicKey encryptionKey = encryptionKey(ring).orElseThrow(() -> KeyFiles.invalid(file, KIND,
          "key " + KeyIds.fingerprint(primary) + " has no valid encryption subkey"));
      recipients.add(new RecipientKey(encryptionKey, KeyIds.fingerprint(primary), userId(primary)));
    }
    if (recipients.isEmpty()) {
      throw KeyFiles.invalid(file, KIND, "no key in the file");
    }
    return recipients;
  }

  private static Optional<PGPPublicKey> encryptionKey(PGPPublicKeyRing ring) {
    List<PGPPublicKey> usable = new ArrayList<>();
    ring.getPublicKeys().forEachRemaining(key -> {
      if (KeyUsage.canEncrypt(key) && !key.hasRevocation() && !KeyUsage.expired(key)) {
        usable.add(key);
      }
    });
    // gpg also picks the newest encryption subkey, so rotating a subkey takes effect here too.
    return usable.stream().max(Comparator.comparing(PGPPublicKey::getCreationTime));
  }

  private static String userId(PGPPublicKey primary) {
    Iterator<String> ids = primary.getUserIDs();
    return ids.hasNext() ? ids.next() : "";
  }
}
