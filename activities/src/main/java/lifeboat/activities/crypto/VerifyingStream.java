package lifeboat.activities.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import lifeboat.activities.errors.ActivityEnding;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Streams;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPException;

/**
 * The decrypted literal data. The integrity packet (MDC) can only be checked once all data has been read, so
 * reaching the end verifies it and throws CORRUPT_BACKUP if the ciphertext was altered or cut short: the
 * caller must treat its output as untrusted until read() has returned -1.
 */
final class VerifyingStream extends FilterInputStream {
  private final PGPEncryptedData encrypted;
  private final TrackedSource source;
  private boolean verified;
  private boolean failed;

  VerifyingStream(InputStream literal, PGPEncryptedData encrypted, TrackedSource source) {
    super(literal);
    this.encrypted = encrypted;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    try {
      int b = in.read();
      if (b < 0) {
        verify();
      }
      return b;
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      int n = in.read(b, off, len);
      if (n < 0) {
        verify();
      }
      return n;
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    // Through read(), so that the end of the data is always noticed and verified.
    return Streams.skipByReading(this, n);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * Closing before the end reads the rest so that a tampered backup is reported even to a consumer that
   * stops early; it is skipped after a failure. Closes the caller's stream too.
   */
  @Override
  public void close() throws IOException {
    try {
      if (!verified && !failed) {
        skip(Long.MAX_VALUE);
      }
    } finally {
      source.close();
    }
  }

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    try {
      if (!encrypted.verify()) {
        throw Decryptor.corrupt("the integrity check failed: the backup was modified or is incomplete", null);
      }
    } catch (PGPException e) {
      throw Decryptor.corrupt("the integrity check failed: " + e.getMessage(), null);
    }
    verified = true;
  }

  /** Decides what a read failure means: the source's own failure stays an IOException, the rest is corruption. */
  private IOException failure(Exception e) {
    failed = true;
    ActivityEnding.rethrowIfEnding(e);
    if (e instanceof LifeboatException lifeboat) {
      throw lifeboat;
    }
    if (e instanceof IOException io && source.failed()) {
      return io;
    }
    throw Decryptor.corrupt("cannot decrypt the backup: " + e, e);
  }
}
