package lifeboat.activities.crypto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPUtil;

/** Opens a key file (ASCII-armored or binary) with the error codes a user can act on. */
final class KeyFiles {
  interface Parser<T> {
    T parse(InputStream decoded) throws IOException, PGPException;
  }

  private KeyFiles() {}

  /**
   * Parses {@code file}; {@code kind} ("public key", "private key") names it in messages. Only the path and
   * the parser's complaint are quoted, never the file's content.
   */
  static <T> T read(Path file, String kind, Parser<T> parser) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return parser.parse(PGPUtil.getDecoderStream(in));
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.KEY_MISSING, kind + " file not found: " + file,
          "check the path of the " + kind + " in the encryption settings (export it with gpg --export"
              + (kind.startsWith("public") ? "" : "-secret-keys") + " --armor)");
    } catch (IOException | PGPException | RuntimeException e) {
      throw invalid(file, kind, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  static LifeboatException invalid(Path file, String kind, String why) {
    return new LifeboatException(ErrorCode.KEY_INVALID, "not a usable OpenPGP " + kind + ": " + file + " (" + why + ")",
        "the file must hold an OpenPGP " + kind + " as written by gpg --export"
            + (kind.startsWith("public") ? "" : "-secret-keys") + " --armor");
  }
}
