package lifeboat.activities.crypto;

import java.time.Instant;
import java.util.Iterator;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Whether a key may encrypt. The algorithm alone is not enough: an RSA primary key made for "sign,cert" could
 * technically encrypt, but gpg would refuse it as a recipient, so the key flags of its self-signature decide.
 */
final class KeyUsage {
  private KeyUsage() {}

  static boolean canEncrypt(PGPPublicKey key) {
    if (!key.isEncryptionKey()) {
      return false;
    }
    Integer flags = newestKeyFlags(key);
    // Very old keys carry no key flags: then the algorithm is all we know.
    return flags == null || (flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0;
  }

  static boolean expired(PGPPublicKey key) {
    long validSeconds = key.getValidSeconds();
    return validSeconds > 0
        && key.getCreationTime().toInstant().plusSeconds(validSeconds).isBefore(Instant.now());
  }

  private static Integer newestKeyFlags(PGPPublicKey key) {
    Integer flags = null;
    long newest = Long.MIN_VALUE;
    for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext(); ) {
      PGPSignature sig = it.next();
      PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
      if (hashed != null && hashed.hasSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)
          && sig.getCreationTime().getTime() > newest) {
        newest = sig.getCreationTime().getTime();
        flags = hashed.getKeyFlags();
      }
    }
    return flags;
  }
}
