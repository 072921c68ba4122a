package lifeboat.activities.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.LifeboatConfig.EncryptionConfig;
import lifeboat.activities.crypto.Decryptor;
import lifeboat.activities.crypto.PublicKeys;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** The configured OpenPGP keys: public keys to encrypt to, and the private key where restores run. */
public final class Keys {
  private Keys() {}

  public static List<RecipientKey> recipients(Config cfg) {
    EncryptionConfig enc = cfg.encryption();
    List<RecipientKey> keys = new ArrayList<>();
    for (String file : enc.recipients()) {
      keys.addAll(PublicKeys.load(cfg.resolvePath(file)));
    }
    return keys;
  }

  public static boolean canDecrypt(Config cfg) {
    return cfg.encryption() != null && cfg.encryption().privateKey() != null;
  }

  /** Plaintext of an OpenPGP message, with the private key and passphrase resolved here and nowhere else. */
  public static InputStream decrypt(Config cfg, InputStream ciphertext) {
    return withPrivateKey(cfg, (keyFile, passphrase) -> Decryptor.decrypt(ciphertext, keyFile, passphrase));
  }

  /**
   * Says which configured key opens an OpenPGP message, reading only its header: fails as {@link #decrypt}
   * would on the same message (no key, wrong key, wrong passphrase), but without decrypting any data.
   */
  public static String checkKey(Config cfg, InputStream ciphertext) {
    return withPrivateKey(cfg, (keyFile, passphrase) -> Decryptor.checkKey(ciphertext, keyFile, passphrase));
  }

  private interface WithKey<T> {
    T apply(Path keyFile, char[] passphrase) throws IOException;
  }

  private static <T> T withPrivateKey(Config cfg, WithKey<T> use) {
    if (!canDecrypt(cfg)) {
      throw new LifeboatException(ErrorCode.KEY_MISSING, "no private key is configured on this worker",
          "set encryption.privateKey (and encryption.passphrase) in the lifeboat.yaml of the worker that restores");
    }
    Path keyFile = cfg.resolvePath(cfg.encryption().privateKey());
    String passphrase = cfg.secrets().resolve(cfg.encryption().passphrase(), "encryption.passphrase");
    try {
      return use.apply(keyFile, passphrase == null ? null : passphrase.toCharArray());
    } catch (IOException e) {
      // The Decryptor has already turned what it could not parse into CORRUPT_BACKUP: an IOException here is
      // the repository's stream failing (a reset S3 connection, say), which a retry may well get past.
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "reading the backup failed: " + e.getMessage(),
          "the step is retried; if it keeps failing, check the repository's connection");
    }
  }
}
