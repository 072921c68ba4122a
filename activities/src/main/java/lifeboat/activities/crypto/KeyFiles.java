package lifeboat.activities.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPUtil;

/** Opens a key file (ASCII-armored or binary) with the error codes a user can act on. */
final class KeyFiles {
  interface Parser<T> {
    T parse(InputStream decoded) throws IOException, PGPException;
  }

  private static final String ARMOR_START = "-----BEGIN PGP";

  private KeyFiles() {}

  /**
   * Parses {@code file}, once per armor block: {@code cat alice.asc bob.asc} is a common way to list several
   * recipients, and an armor decoder stops at the first block's end. {@code kind} ("public key", "private key")
   * names the file in messages. Only the path and the parser's complaint are quoted, never the content.
   */
  static <T> List<T> read(Path file, String kind, Parser<T> parser) {
    try {
      byte[] content = Files.readAllBytes(file);
      List<T> parsed = new ArrayList<>();
      for (byte[] block : armorBlocks(content)) {
        parsed.add(parser.parse(PGPUtil.getDecoderStream(new ByteArrayInputStream(block))));
      }
      return parsed;
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.KEY_MISSING, kind + " file not found: " + file,
          "check the path of the " + kind + " in the encryption settings (export it with " + export(kind) + ")");
    } catch (IOException | PGPException | RuntimeException e) {
      throw invalid(file, kind, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  /** The armor blocks of the file, or the whole file if it is binary. */
  private static List<byte[]> armorBlocks(byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1); // byte-for-byte, so indexes match
    List<byte[]> blocks = new ArrayList<>();
    int start = text.indexOf(ARMOR_START);
    if (start < 0) {
      return List.of(content);
    }
    while (start >= 0) {
      int next = text.indexOf(ARMOR_START, start + ARMOR_START.length());
      int end = next < 0 ? content.length : next;
      blocks.add(Arrays.copyOfRange(content, start, end));
      start = next;
    }
    return blocks;
  }

  private static String export(String kind) {
    return kind.startsWith("public") ? "gpg --export --armor" : "gpg --export-secret-keys --armor";
  }

  static LifeboatException invalid(Path file, String kind, String why) {
    return new LifeboatException(ErrorCode.KEY_INVALID, "not a usable OpenPGP " + kind + ": " + file + " (" + why + ")",
        "the file must hold an OpenPGP " + kind + " as written by " + export(kind));
  }
}
