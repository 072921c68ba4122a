package lifeboat.worker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import lifeboat.activities.errors.ErrorCode;
import org.junit.jupiter.api.Test;

/** The history codec on its own: round trips, what an encrypted payload reveals, and every way decoding refuses. */
class AesGcmPayloadCodecTest {
  private static final String SECRET = "db.internal.example:5432/payroll rows=48213";
  private final AesGcmPayloadCodec codec = new AesGcmPayloadCodec(HistoryKey.parse(HistoryKey.generate(), "test"));
  private final DataConverter converter = HistoryEncryption.dataConverter(codec);

  @Test
  void aPayloadRoundTripsAndItsCiphertextRevealsOnlyEncodingAndKeyId() {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload(SECRET).orElseThrow();
    Payload sealed = codec.encode(List.of(plain)).get(0);
    assertEquals(AesGcmPayloadCodec.ENCODING, sealed.getMetadataOrThrow("encoding").toStringUtf8());
    assertEquals(codec.keyId(), sealed.getMetadataOrThrow(AesGcmPayloadCodec.KEY_ID).toStringUtf8());
    assertEquals(2, sealed.getMetadataCount(), "json/plain is inside, not beside: " + sealed.getMetadataMap());
    assertFalse(sealed.getData().toString(StandardCharsets.ISO_8859_1).contains("payroll"));
    assertEquals(plain, codec.decode(List.of(sealed)).get(0));
    assertNotEquals(sealed.getData(), codec.encode(List.of(plain)).get(0).getData(), "a fresh nonce each time");
    assertEquals(12 + plain.getSerializedSize() + 16, sealed.getData().size(), "nonce, ciphertext, tag");
  }

  @Test
  void theConverterEncryptsValuesAndFailureMessagesAndReadsThemBack() {
    Payload sealed = converter.toPayload(SECRET).orElseThrow();
    assertTrue(AesGcmPayloadCodec.isEncrypted(sealed));
    assertEquals(SECRET, converter.fromPayload(sealed, String.class, String.class));

    Failure failure = converter.exceptionToFailure(
        ApplicationFailure.newNonRetryableFailure("cannot reach " + SECRET, "DATABASE_UNREACHABLE"));
    assertFalse(failure.toString().contains("payroll"), failure.toString());
    assertEquals("DATABASE_UNREACHABLE", failure.getApplicationFailureInfo().getType(), "the code stays readable");
    assertTrue(AesGcmPayloadCodec.isEncrypted(failure.getEncodedAttributes()), failure.toString());
    RuntimeException back = converter.failureToException(failure);
    assertTrue(back.getMessage().contains("cannot reach " + SECRET), back.getMessage());
  }

  @Test
  void plainPayloadsOfOlderHistoriesDecodeUnchanged() {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload("from before the key").orElseThrow();
    assertEquals("from before the key", converter.fromPayload(plain, String.class, String.class));
  }

  @Test
  void anotherKeyIsAMismatchNamingBothKeyIds() {
    AesGcmPayloadCodec other = new AesGcmPayloadCodec(HistoryKey.parse(HistoryKey.generate(), "test"));
    Payload sealed = other.encode(List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload(SECRET).orElseThrow())).get(0);
    HistoryKeyException e = assertThrows(HistoryKeyException.class, () -> codec.decode(List.of(sealed)));
    assertEquals(ErrorCode.HISTORY_KEY_MISMATCH, e.code());
    assertTrue(e.getMessage().contains(other.keyId()) && e.getMessage().contains(codec.keyId()), e.getMessage());
    assertTrue(e.userMessage().contains("[HISTORY_KEY_MISMATCH] HINT: "), e.userMessage());
  }

  @Test
  void anAlteredPayloadFailsTheTagCheck() {
    Payload sealed = codec.encode(List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload(SECRET).orElseThrow())).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[20] ^= 1;
    Payload altered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    HistoryKeyException e = assertThrows(HistoryKeyException.class, () -> codec.decode(List.of(altered)));
    assertTrue(e.getMessage().contains("GCM tag check failed"), e.getMessage());
    Payload truncated = sealed.toBuilder().setData(ByteString.copyFrom(data, 0, 10)).build();
    assertThrows(HistoryKeyException.class, () -> codec.decode(List.of(truncated)));
  }

  @Test
  void aClientWithoutTheCodecCannotReadAnEncryptedPayload() {
    Payload sealed = converter.toPayload(SECRET).orElseThrow();
    DataConverterException e = assertThrows(DataConverterException.class, () ->
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(
            io.temporal.api.common.v1.Payloads.newBuilder().addPayloads(sealed).build()), String.class, String.class));
    assertTrue(HistoryKeyErrors.keyMissing(e), e.toString());
  }

  @Test
  void aKeyMustBe32BytesOfBase64() {
    assertEquals(ErrorCode.HISTORY_KEY_INVALID,
        assertThrows(HistoryKeyException.class, () -> HistoryKey.parse("not base64!", "history.encryptionKey")).code());
    HistoryKeyException shortKey = assertThrows(HistoryKeyException.class,
        () -> HistoryKey.parse("c2hvcnQ=", "history.encryptionKey"));
    assertTrue(shortKey.getMessage().contains("holds 5 bytes, not 32"), shortKey.getMessage());
    String key = HistoryKey.generate();
    assertEquals(HistoryKey.parse(key, "a").id(), HistoryKey.parse(key + "\n", "b").id(), "the id is the key's");
    assertEquals(16, HistoryKey.parse(key, "a").id().length());
  }
}
