package lifeboat.worker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which converter a lifeboat.yaml gives, from real files: the CLI's and the worker's one rule. */
class HistoryEncryptionConfigTest {
  @TempDir Path dir;

  @Test
  void aKeyFileGivesTheEncryptingConverterAndNoKeyTheDefault() throws Exception {
    Files.writeString(dir.resolve("history.key"), HistoryKey.generate() + "\n");
    Path withKey = Files.writeString(dir.resolve("a.yaml"), "history: { encryptionKey: file:history.key }\n");
    assertInstanceOf(CodecDataConverter.class, HistoryEncryption.dataConverter(withKey, true));
    Path without = Files.writeString(dir.resolve("b.yaml"), "databases: {}\n");
    assertSame(DefaultDataConverter.STANDARD_INSTANCE, HistoryEncryption.dataConverter(without, true));
  }

  @Test
  void aMissingDefaultFileIsNoKeyButAMissingNamedOneIsAnError() {
    Path absent = dir.resolve("lifeboat.yaml");
    assertSame(DefaultDataConverter.STANDARD_INSTANCE, HistoryEncryption.dataConverter(absent, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HistoryEncryption.dataConverter(absent, true));
    assertTrue(e.getMessage().contains("configuration file not found") && e.getMessage().contains("[CONFIG_INVALID]"),
        e.getMessage());
  }

  @Test
  void anUnresolvableOrMalformedKeyIsOneLineWithItsCode() throws Exception {
    Path env = Files.writeString(dir.resolve("c.yaml"), "history: { encryptionKey: env:LIFEBOAT_NO_SUCH_KEY_VAR }\n");
    String unresolved = assertThrows(IllegalArgumentException.class,
        () -> HistoryEncryption.dataConverter(env, false)).getMessage();
    assertTrue(unresolved.contains("history.encryptionKey") && unresolved.contains("[SECRET_UNRESOLVED] HINT: "),
        unresolved);
    Files.writeString(dir.resolve("short.key"), "c2hvcnQ=");
    Path shortKey = Files.writeString(dir.resolve("d.yaml"), "history: { encryptionKey: file:short.key }\n");
    String invalid = assertThrows(IllegalArgumentException.class,
        () -> HistoryEncryption.dataConverter(shortKey, false)).getMessage();
    assertEquals("the history key named by history.encryptionKey holds 5 bytes, not 32 [HISTORY_KEY_INVALID] HINT: make"
        + " one with `lifeboat keys history-key --out FILE` (32 random bytes, base64)", invalid);
  }
}
