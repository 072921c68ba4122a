package lifeboat.activities.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BouncyCastle JCE provider, registered once. The JCE cipher is about twice as fast as the lightweight
 * one for bulk AES, so bulk encryption and decryption go through it.
 */
final class BouncyCastle {
  private static final Provider PROVIDER = register();

  private BouncyCastle() {}

  static Provider provider() {
    return PROVIDER;
  }

  // Idempotent: another component (or a test) may already have registered it; reuse that instance.
  private static synchronized Provider register() {
    Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (existing != null) {
      return existing;
    }
    Provider provider = new BouncyCastleProvider();
    Security.addProvider(provider);
    return provider;
  }
}
