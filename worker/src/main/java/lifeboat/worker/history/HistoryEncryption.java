package lifeboat.worker.history;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.errors.LifeboatException;

/**
 * The data converter every Lifeboat {@code WorkflowClient} uses, worker and CLI alike, from lifeboat.yaml's
 * {@code history.encryptionKey}. It lives in {@code worker} because reading the key needs the configuration
 * loader and secret references of {@code activities}, which the CLI may not import: the CLI asks this facade
 * for a converter and never sees the config classes.
 */
public final class HistoryEncryption {
  static final String SETTING = "history.encryptionKey";

  private HistoryEncryption() {}

  /**
   * The converter for the configuration at {@code configFile}: encrypting when it names a key, else the SDK's
   * default. A file that is not there is no key when {@code required} is false (the CLI's default
   * ./lifeboat.yaml on a machine that has none), and an error when it was named (--config, LIFEBOAT_CONFIG).
   *
   * @throws IllegalArgumentException with a one-line message: an invalid file, an unresolvable or malformed key
   */
  public static DataConverter dataConverter(Path configFile, boolean required) {
    if (!required && !Files.exists(configFile)) {
      return DefaultDataConverter.STANDARD_INSTANCE;
    }
    return codec(configFile).map(HistoryEncryption::dataConverter).orElse(DefaultDataConverter.STANDARD_INSTANCE);
  }

  /** The codec of the configuration's key, or empty when it names none; errors as {@link #dataConverter}. */
  public static Optional<AesGcmPayloadCodec> codec(Path configFile) {
    try {
      return keyCodec(ConfigLoader.load(configFile));
    } catch (LifeboatException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    }
  }

  /** The converter of a loaded configuration (a worker's, which loads it once); errors as {@link #dataConverter}. */
  public static DataConverter dataConverter(Config config) {
    return keyCodec(config).map(HistoryEncryption::dataConverter).orElse(DefaultDataConverter.STANDARD_INSTANCE);
  }

  private static Optional<AesGcmPayloadCodec> keyCodec(Config config) {
    try {
      return codec(config);
    } catch (LifeboatException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    } catch (HistoryKeyException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    }
  }

  /** The codec of a loaded configuration's key, or empty; throws LifeboatException or HistoryKeyException. */
  public static Optional<AesGcmPayloadCodec> codec(Config config) {
    String ref = config.historyEncryptionKey();
    if (ref == null) {
      return Optional.empty();
    }
    return Optional.of(new AesGcmPayloadCodec(HistoryKey.parse(config.secrets().resolve(ref, SETTING), SETTING)));
  }

  /**
   * The default converter with {@code codec} over it. Failure attributes are encoded too: a failure's message
   * and stack trace move into an encrypted payload, and history keeps only "Encoded failure" and its type
   * (the error code), which retry policies and the CLI's exit codes match on.
   */
  public static DataConverter dataConverter(AesGcmPayloadCodec codec) {
    return new CodecDataConverter(DefaultDataConverter.STANDARD_INSTANCE, List.of(codec), true);
  }
}
