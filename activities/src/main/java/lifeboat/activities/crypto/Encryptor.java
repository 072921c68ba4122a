package lifeboat.activities.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * Streams a backup into a standard binary OpenPGP message that {@code gpg --decrypt} reads: AES-256 with an
 * integrity (MDC) packet, one session key wrapped for every recipient, and a binary literal data packet.
 * There is no compression packet: the payload is already zstd.
 */
public final class Encryptor {
  /** File name stored in the literal data packet; gpg only shows it. */
  public static final String LITERAL_NAME = "lifeboat-backup";
  // Partial-length packets of this size let us stream data whose length we do not know in advance.
  private static final int BUFFER_SIZE = 1 << 16;

  private Encryptor() {}

  /**
   * Returns a stream whose bytes end up encrypted in {@code out}. Closing it writes the end of the message but
   * leaves {@code out} open: the caller owns it (it may be an upload that needs finishing).
   */
  public static OutputStream encrypt(OutputStream out, List<RecipientKey> recipients) throws IOException {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("at least one recipient is needed");
    }
    PGPEncryptedDataGenerator encrypted = new PGPEncryptedDataGenerator(
        // No provider named: the JDK's own AES (SunJCE) runs on AES-NI and the MDC's SHA-1 on the CPU's SHA
        // instructions, several times faster than BouncyCastle's pure-Java AES (docs/benchmarks.md).
        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
            .setWithIntegrityPacket(true));
    for (RecipientKey recipient : recipients) {
      // Bc, not Jce: the lightweight key wrapper handles X25519 and RSA alike (see verified facts).
      encrypted.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient.encryptionKey()));
    }
    OutputStream encryptedStream;
    try {
      encryptedStream = encrypted.open(new KeepOpen(out), new byte[BUFFER_SIZE]);
    } catch (PGPException e) {
      throw new IOException("cannot start the OpenPGP message: " + e.getMessage(), e);
    }
    PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
    OutputStream literalStream = literal.open(encryptedStream, PGPLiteralDataGenerator.BINARY, LITERAL_NAME,
        new Date(), new byte[BUFFER_SIZE]);
    return new MessageStream(literalStream, literal, encrypted);
  }

  /** Writes the literal data; closing ends the literal packet, then the encrypted one. */
  private static final class MessageStream extends FilterOutputStream {
    private final PGPLiteralDataGenerator literal;
    private final PGPEncryptedDataGenerator encrypted;
    private boolean closed;

    MessageStream(OutputStream literalStream, PGPLiteralDataGenerator literal, PGPEncryptedDataGenerator encrypted) {
      super(literalStream);
      this.literal = literal;
      this.encrypted = encrypted;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len); // FilterOutputStream would write byte by byte
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      literal.close();
      encrypted.close(); // writes the MDC packet
    }
  }

  /** Shields the caller's stream from the generators' close and finish calls. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
