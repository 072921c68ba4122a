package lifeboat.activities.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

public final class Streams {
  private Streams() {}

  /** Copies to the end of {@code in}, reporting progress; returns the byte count. */
  public static long copy(InputStream in, OutputStream out, Progress progress) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
      progress.add(n);
    }
    return total;
  }

  /**
   * Skips by reading, for streams whose reads do work that must not be left out (hashing, or noticing and
   * verifying the end of an OpenPGP message): {@code in.skip} would step over it.
   */
  public static long skipByReading(InputStream in, long n) throws IOException {
    byte[] buffer = new byte[(int) Math.max(1, Math.min(n, 8192))];
    long skipped = 0;
    while (skipped < n) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** A view of {@code out} whose close only flushes: for layers that must not close what they wrap. */
  public static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}
