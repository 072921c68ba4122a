package lifeboat.activities.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's ciphertext stream, remembering whether it failed. An IOException raised by BouncyCastle while
 * the source itself is fine means the message is malformed (CORRUPT_BACKUP, not retried); one raised by the
 * source (a dropped download) stays a plain IOException, which may be retried.
 */
final class TrackedSource extends FilterInputStream {
  private volatile boolean failed;

  TrackedSource(InputStream in) {
    super(in);
  }

  boolean failed() {
    return failed;
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }
}
