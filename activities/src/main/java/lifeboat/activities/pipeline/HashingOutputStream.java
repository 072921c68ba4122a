package lifeboat.activities.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Counts and hashes (SHA-256) the bytes on their way to the repository. {@link #close()} does not close the
 * underlying stream: the repository write must still be committed or aborted by its owner.
 */
public final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private long count;

  public HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }

  public long count() {
    return count;
  }

  /** Hex SHA-256 of everything written; call once, at the end. */
  public String sha256() {
    return Sha256.hex(digest);
  }
}
