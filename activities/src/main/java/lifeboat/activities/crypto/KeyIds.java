package lifeboat.activities.crypto;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.util.encoders.Hex;

/** Key ids and fingerprints formatted the way {@code gpg --list-keys} prints them, for messages and logs. */
public final class KeyIds {
  private KeyIds() {}

  /** Uppercase hex fingerprint of this very key (primary key or subkey). */
  public static String fingerprint(PGPPublicKey key) {
    return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
  }

  /** 16-digit uppercase hex long key id, as found in an encrypted message's recipient list. */
  public static String keyId(long keyId) {
    return String.format(Locale.ROOT, "%016X", keyId);
  }

  static String keyIds(Collection<Long> keyIds) {
    return keyIds.stream().map(KeyIds::keyId).collect(Collectors.joining(", "));
  }
}
