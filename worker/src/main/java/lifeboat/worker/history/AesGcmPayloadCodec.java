package lifeboat.worker.history;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import lifeboat.activities.errors.ErrorCode;

/**
 * Encrypts every payload Lifeboat writes to Temporal with AES-256-GCM: the whole serialized payload (metadata and
 * data) becomes the data of a new one, {@code 12-byte random nonce || ciphertext || 16-byte tag}, whose metadata
 * says only {@code encoding: binary/encrypted} and the key's id. Payloads that are not encrypted (histories
 * written before a key was configured) are decoded unchanged.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String KEY_ID = "encryption-key-id";
  private static final String ENCODING_KEY = "encoding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final HistoryKey key;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(HistoryKey key) {
    this.key = key;
  }

  public String keyId() {
    return key.id();
  }

  /** Whether the payload is one this codec (or another Lifeboat key) encrypted. */
  public static boolean isEncrypted(Payload payload) {
    ByteString encoding = payload.getMetadataMap().get(ENCODING_KEY);
    return encoding != null && encoding.toStringUtf8().equals(ENCODING);
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(p -> isEncrypted(p) ? decrypt(p) : p).toList();
  }

  private Payload encrypt(Payload plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
      sealed = cipher.doFinal(plain.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
    return Payload.newBuilder()
        .putMetadata(ENCODING_KEY, ByteString.copyFrom(ENCODING, StandardCharsets.UTF_8))
        .putMetadata(KEY_ID, ByteString.copyFrom(key.id(), StandardCharsets.UTF_8))
        .setData(ByteString.copyFrom(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array()))
        .build();
  }

  private Payload decrypt(Payload encrypted) {
    ByteString id = encrypted.getMetadataMap().get(KEY_ID);
    String keyId = id == null ? "(none)" : id.toStringUtf8();
    if (!keyId.equals(key.id())) {
      throw mismatch("a history payload was encrypted with history key " + keyId + "; the configured key is "
          + key.id());
    }
    byte[] data = encrypted.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw mismatch("a history payload marked " + ENCODING + " is too short to be one (" + data.length + " bytes)");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(data, NONCE_BYTES));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      throw mismatch("a history payload does not decrypt with history key " + key.id()
          + " (GCM tag check failed): it was altered, or written with another key under this id");
    } catch (InvalidProtocolBufferException e) {
      throw mismatch("a history payload decrypted to something that is not a payload");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
    return cipher;
  }

  private static HistoryKeyException mismatch(String message) {
    return new HistoryKeyException(ErrorCode.HISTORY_KEY_MISMATCH, message,
        "give this client and every worker the same history.encryptionKey (docs/configuration.md#history)");
  }
}
