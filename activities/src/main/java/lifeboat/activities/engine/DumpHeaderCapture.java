package lifeboat.activities.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes a dump through unchanged while keeping a copy of its first bytes, where mariadb-dump --master-data=2
 * writes the binlog position of its snapshot as a comment. Reading it there (rather than asking SHOW MASTER
 * STATUS before or after) is what makes the position the dump's own: only the dump's session saw the snapshot.
 */
final class DumpHeaderCapture extends FilterInputStream {
  /** mariadb-dump writes the position before the first table: well inside this. */
  static final int HEADER_BYTES = 64 * 1024;

  private final byte[] head = new byte[HEADER_BYTES];
  private int kept;

  DumpHeaderCapture(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0 && kept < head.length) {
      head[kept++] = (byte) b;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n > 0 && kept < head.length) {
      int copy = Math.min(n, head.length - kept);
      System.arraycopy(buf, off, head, kept, copy);
      kept += copy;
    }
    return n;
  }

  /** The first bytes read so far, as text. */
  String header() {
    return new String(Arrays.copyOf(head, kept), StandardCharsets.UTF_8);
  }
}
