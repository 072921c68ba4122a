package lifeboat.activities.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.ActivityEnding;
import lifeboat.activities.errors.LifeboatException;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

/**
 * Reads an OpenPGP message made by {@link Encryptor} or by {@code gpg --encrypt} (compressed or not, one or
 * several recipients) and returns its plaintext as a stream.
 */
public final class Decryptor {
  private Decryptor() {}

  /**
   * Returns the decrypted data. Its end is verified against the integrity packet: a modified or truncated
   * message fails with CORRUPT_BACKUP at the latest when read() reaches the end (or on close). Closing the
   * returned stream closes {@code in}. A null or empty passphrase is for an unprotected private key.
   *
   * @throws LifeboatException KEY_MISSING, KEY_INVALID, WRONG_PASSPHRASE, KEY_MISMATCH or CORRUPT_BACKUP
   * @throws IOException when {@code in} itself fails
   */
  public static InputStream decrypt(InputStream in, Path secretKeyFile, char[] passphrase) throws IOException {
    return withErrors(in, source -> {
      Unlocked unlocked = unlock(source, SecretKeys.load(secretKeyFile), passphrase);
      InputStream clear = unlocked.encrypted().getDataStream(
          new JceSessionKeyDataDecryptorFactoryBuilder().build(unlocked.sessionKey())); // JDK AES: AES-NI
      return new VerifyingStream(literalData(objects(clear)), unlocked.encrypted(), source);
    });
  }

  /**
   * Proves that the private key opens this message without decrypting any of its data: reads only the
   * leading recipient packets, unlocks the matching key with the passphrase and recovers the session key.
   * What a restore would fail on first (no key, wrong key, wrong passphrase) fails here, before anything is
   * made to restore into. Does not close {@code in}; the data after the header is never read.
   *
   * @return which key opens it, in words
   * @throws LifeboatException KEY_MISSING, KEY_INVALID, WRONG_PASSPHRASE, KEY_MISMATCH or CORRUPT_BACKUP
   * @throws IOException when {@code in} itself fails
   */
  public static String checkKey(InputStream in, Path secretKeyFile, char[] passphrase) throws IOException {
    return withErrors(in, source -> unlock(source, SecretKeys.load(secretKeyFile), passphrase).opener());
  }

  private interface Body<T> {
    T apply(TrackedSource source) throws IOException, PGPException;
  }

  /** The error codes of reading a message: the source's own failures stay IOExceptions, the rest is corrupt. */
  private static <T> T withErrors(InputStream in, Body<T> body) throws IOException {
    TrackedSource source = new TrackedSource(in);
    try {
      return body.apply(source);
    } catch (IOException e) {
      ActivityEnding.rethrowIfEnding(e);
      if (source.failed()) {
        throw e;
      }
      throw corrupt("not a readable OpenPGP message: " + e.getMessage(), e);
    } catch (PGPException e) {
      ActivityEnding.rethrowIfEnding(e);
      throw corrupt("cannot decrypt the backup: " + e.getMessage(), e);
    } catch (LifeboatException e) {
      throw e;
    } catch (RuntimeException e) {
      ActivityEnding.rethrowIfEnding(e);
      // BouncyCastle answers some malformed packets with unchecked exceptions.
      throw corrupt("not a readable OpenPGP message: " + e, e);
    }
  }

  /** The message's encrypted data and its session key, recovered with our private key; which key did it. */
  private record Unlocked(PGPPublicKeyEncryptedData encrypted, PGPSessionKey sessionKey, String opener) {}

  private static Unlocked unlock(TrackedSource source, SecretKeys keys, char[] passphrase)
      throws IOException, PGPException {
    PGPObjectFactory factory = objects(PGPUtil.getDecoderStream(source));
    Object first = factory.nextObject();
    while (first instanceof PGPMarker) {
      first = factory.nextObject(); // obsolete marker packet, still written by some tools
    }
    if (!(first instanceof PGPEncryptedDataList list)) {
      throw corrupt("not an encrypted OpenPGP message", null);
    }
    PGPPublicKeyEncryptedData encrypted = forOurKey(list, keys);
    if (!encrypted.isIntegrityProtected()) {
      // Without MDC/AEAD a modified backup would decrypt to silently wrong data; gpg warns, we refuse.
      throw corrupt("the message has no integrity protection", null);
    }
    PGPPrivateKey privateKey = keys.unlock(encrypted.getKeyID(), passphrase);
    // Bc recovers the session key (the Jce public-key decryptor lacks X25519); Jce then does the bulk AES.
    PGPSessionKey sessionKey = encrypted.getSessionKey(new BcPublicKeyDataDecryptorFactory(privateKey));
    return new Unlocked(encrypted, sessionKey, "key id " + KeyIds.keyId(encrypted.getKeyID()) + " of "
        + keys.primaryOf(encrypted.getKeyID()) + " opens it");
  }

  private static PGPPublicKeyEncryptedData forOurKey(PGPEncryptedDataList list, SecretKeys keys)
      throws PGPException {
    List<Long> recipients = new ArrayList<>();
    for (PGPEncryptedData data : list) {
      if (data instanceof PGPPublicKeyEncryptedData publicKeyData) {
        if (keys.has(publicKeyData.getKeyID())) {
          return publicKeyData;
        }
        recipients.add(publicKeyData.getKeyID());
      }
    }
    if (recipients.isEmpty()) {
      throw new LifeboatException(ErrorCode.KEY_MISMATCH,
          "the backup is encrypted with a passphrase only, not for a public key",
          "decrypt it with gpg --decrypt; Lifeboat backups are encrypted for public keys");
    }
    // Recipients are (sub)key ids: list ours the same way, so the two sets can be compared by eye.
    throw new LifeboatException(ErrorCode.KEY_MISMATCH,
        "the backup was not encrypted to this worker's private key: it is encrypted for key id(s) "
            + KeyIds.keyIds(recipients) + ", but the configured private key holds key id(s) "
            + KeyIds.keyIds(keys.keyIds()) + " (" + String.join(", ", keys.fingerprints()) + ")",
        "configure the private key matching one of the backup's key ids (gpg --list-secret-keys"
            + " --keyid-format long shows subkey ids), or restore on a worker that has it");
  }

  /** Unwraps an optional compression packet (gpg compresses by default) and skips signature packets. */
  private static InputStream literalData(PGPObjectFactory factory) throws IOException, PGPException {
    while (true) {
      Object next = factory.nextObject();
      if (next instanceof PGPCompressedData compressed) {
        factory = objects(compressed.getDataStream());
      } else if (next instanceof PGPLiteralData literal) {
        return literal.getInputStream();
      } else if (!(next instanceof PGPOnePassSignatureList || next instanceof PGPSignatureList
          || next instanceof PGPMarker)) {
        throw corrupt("the encrypted message holds no data packet", null);
      }
    }
  }

  private static PGPObjectFactory objects(InputStream in) {
    return new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
  }

  static LifeboatException corrupt(String message, Throwable cause) {
    return new LifeboatException(ErrorCode.CORRUPT_BACKUP, message,
        "the backup file is damaged, incomplete or not a Lifeboat backup: restore an older backup", cause);
  }
}
