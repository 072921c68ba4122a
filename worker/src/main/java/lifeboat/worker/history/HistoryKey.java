package lifeboat.worker.history;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import lifeboat.activities.errors.ErrorCode;

/**
 * The AES-256 key that encrypts workflow history payloads, and its id. The id is the first 8 bytes of the key's
 * SHA-256 in hex: it names the key in every payload's metadata (so a reader with another key says which key
 * it needs, and a rotation can keep old keys for reading) without revealing anything usable about the key.
 */
public final class HistoryKey {
  public static final int BYTES = 32;

  private final SecretKey key;
  private final String id;

  private HistoryKey(byte[] raw) {
    this.key = new SecretKeySpec(raw, "AES");
    this.id = HexFormat.of().formatHex(sha256(raw), 0, 8);
  }

  /**
   * @param base64   the secret's value: 32 bytes in base64 (what {@link #generate()} makes)
   * @param usedBy   the setting that names the secret, for the error message
   */
  public static HistoryKey parse(String base64, String usedBy) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw invalid(usedBy, "is not base64");
    }
    if (raw.length != BYTES) {
      throw invalid(usedBy, "holds " + raw.length + " bytes, not " + BYTES);
    }
    return new HistoryKey(raw);
  }

  /** A new random key in the form {@link #parse} reads: 32 bytes from SecureRandom, base64. */
  public static String generate() {
    byte[] raw = new byte[BYTES];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  private static HistoryKeyException invalid(String usedBy, String problem) {
    return new HistoryKeyException(ErrorCode.HISTORY_KEY_INVALID, "the history key named by " + usedBy + " " + problem,
        "make one with `lifeboat keys history-key --out FILE` (32 random bytes, base64)");
  }

  private static byte[] sha256(byte[] raw) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(raw);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
