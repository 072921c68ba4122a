package lifeboat.cli.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.util.encoders.Hex;

/**
 * Makes an OpenPGP key pair the way gpg's defaults do: an Ed25519 primary key that certifies, and a
 * Curve25519 (X25519) subkey that encrypts. Written ASCII-armored, so `gpg --import` takes both files.
 */
public final class KeyGenerator {
  private KeyGenerator() {}

  /** The files written and the primary key's fingerprint. */
  public record GeneratedKey(Path publicKey, Path secretKey, String fingerprint) {}

  /**
   * @param passphrase protects the secret key; null or empty writes it unprotected (for throwaway keys only)
   */
  public static GeneratedKey generate(Path dir, String name, String userId, char[] passphrase)
      throws IOException {
    try {
      SecureRandom random = new SecureRandom();
      Date now = new Date();
      Ed25519KeyPairGenerator ed = new Ed25519KeyPairGenerator();
      ed.init(new Ed25519KeyGenerationParameters(random));
      PGPKeyPair primary = new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, ed.generateKeyPair(), now);
      X25519KeyPairGenerator x = new X25519KeyPairGenerator();
      x.init(new X25519KeyGenerationParameters(random));
      PGPKeyPair encryption = new BcPGPKeyPair(PublicKeyAlgorithmTags.ECDH, x.generateKeyPair(), now);

      PGPSignatureSubpacketGenerator primaryProps = new PGPSignatureSubpacketGenerator();
      primaryProps.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
      primaryProps.setPreferredSymmetricAlgorithms(false,
          new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
      primaryProps.setPreferredHashAlgorithms(false,
          new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
      primaryProps.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
      PGPSignatureSubpacketGenerator subkeyProps = new PGPSignatureSubpacketGenerator();
      subkeyProps.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);

      // The secret-key checksum is SHA-1 by the OpenPGP standard; the passphrase's S2K uses SHA-256.
      PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
      PBESecretKeyEncryptor protector = passphrase == null || passphrase.length == 0 ? null
          : new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
              new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256), 0xc0).build(passphrase);
      PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, userId,
          sha1, primaryProps.generate(), null,
          new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), protector);
      rings.addSubKey(encryption, subkeyProps.generate(), null);

      Files.createDirectories(dir);
      Path pub = dir.resolve(name + ".pub.asc");
      Path sec = dir.resolve(name + ".sec.asc");
      Files.write(pub, armor(out -> rings.generatePublicKeyRing().encode(out)));
      Files.write(sec, armor(out -> rings.generateSecretKeyRing().encode(out)));
      restrictToOwner(sec);
      String fingerprint = Hex.toHexString(primary.getPublicKey().getFingerprint()).toUpperCase();
      return new GeneratedKey(pub, sec, fingerprint);
    } catch (PGPException e) {
      throw new IOException("key generation failed: " + e.getMessage(), e);
    }
  }

  private interface Encoder {
    void encode(OutputStream out) throws IOException;
  }

  private static byte[] armor(Encoder encoder) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
      encoder.encode(armored);
    }
    return bytes.toByteArray();
  }

  private static void restrictToOwner(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system: the folder's permissions are the protection there
    }
  }
}
