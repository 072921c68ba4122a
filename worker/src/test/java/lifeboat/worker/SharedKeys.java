package lifeboat.worker;

import java.util.UUID;
import lifeboat.activities.testing.GpgKeys;

/**
 * One gpg key pair for the test classes that only need "a" key: generating one takes gpg a second or two,
 * and nothing in those tests depends on it being theirs. Removed when the JVM exits.
 */
final class SharedKeys {
  private static GpgKeys keys;

  private SharedKeys() {}

  static synchronized GpgKeys get() {
    if (keys == null) {
      keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pass-" + UUID.randomUUID());
      Runtime.getRuntime().addShutdownHook(new Thread(keys::close));
    }
    return keys;
  }
}
