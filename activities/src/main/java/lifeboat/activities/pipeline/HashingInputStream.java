package lifeboat.activities.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Counts and hashes (SHA-256) the bytes read through it, e.g. a stored object on its way to verification. */
public final class HashingInputStream extends FilterInputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private final Progress progress;
  private long count;

  public HashingInputStream(InputStream in) {
    this(in, Progress.none());
  }

  public HashingInputStream(InputStream in, Progress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
      progress.add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
      progress.add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return Streams.skipByReading(this, n); // skipped bytes must still be hashed
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads whatever the consumer left unread, so the hash covers the whole object. */
  public void drain() throws IOException {
    byte[] buffer = new byte[1 << 16];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing happens in read
    }
  }

  public long count() {
    return count;
  }

  public String sha256() {
    return Sha256.hex(digest);
  }
}
