package lifeboat.activities.pipeline;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as Lifeboat records it: lowercase hex. */
public final class Sha256 {
  private Sha256() {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of {@code length} bytes of {@code data} from {@code offset}. */
  public static String hex(byte[] data, int offset, int length) {
    MessageDigest digest = newDigest();
    digest.update(data, offset, length);
    return hex(digest);
  }
}
