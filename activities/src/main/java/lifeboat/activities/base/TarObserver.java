package lifeboat.activities.base;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Watches a tar stream go by (pg_basebackup's {@code -Ft -D -}) without changing it: the size and CRC32C of each
 * regular file, and the content of a few small ones (backup_label, backup_manifest). So a base backup is
 * checked against PostgreSQL's own backup manifest while it streams into the repository, and read back the
 * same way, with nothing unpacked to disk.
 *
 * <p>The tar layout read is POSIX ustar as pg_basebackup writes it (src/port/tar.c): 512-byte headers, name
 * with its ustar prefix, size in octal or base-256, data padded to 512 bytes; pax ('x') and GNU long-name
 * ('L') records set the next entry's name.
 */
final class TarObserver extends FilterInputStream {
  private static final int BLOCK = 512;

  /** A regular file seen: its size and CRC32C as the manifest writes it (hex of the little-endian bytes). */
  record Seen(long size, String crc32c) {}

  private final Set<String> capture;
  private final Map<String, Seen> files = new LinkedHashMap<>();
  private final Map<String, byte[]> captured = new LinkedHashMap<>();
  private final byte[] header = new byte[BLOCK];
  private int headerFilled;
  /** Data bytes left in the current entry, then padding bytes left. */
  private long dataLeft;
  private long paddingLeft;
  private String currentName;
  private char currentType;
  private long currentSize;
  private CRC32C crc;
  private ByteArrayOutputStream capturing;
  private ByteArrayOutputStream longName;
  private String nextName;
  private boolean ended;

  TarObserver(InputStream in, Set<String> capture) {
    super(in);
    this.capture = Set.copyOf(capture);
  }

  /** Every regular file seen so far, by path. */
  Map<String, Seen> files() {
    return files;
  }

  /** The content of a captured file, or null when it has not gone by. */
  byte[] captured(String name) {
    return captured.get(name);
  }

  /** Whether the two zero blocks that end an archive went by. */
  boolean ended() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      observe(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      observe(buf, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void observe(byte[] buf, int off, int len) throws IOException {
    int i = off;
    int end = off + len;
    while (i < end) {
      if (dataLeft > 0) {
        int n = (int) Math.min(dataLeft, end - i);
        data(buf, i, n);
        dataLeft -= n;
        i += n;
        if (dataLeft == 0) {
          endEntry();
        }
      } else if (paddingLeft > 0) {
        int n = (int) Math.min(paddingLeft, end - i);
        paddingLeft -= n;
        i += n;
      } else if (ended) {
        i = end; // whatever follows the end marker (more zero blocks) is not ours to read
      } else {
        int n = Math.min(BLOCK - headerFilled, end - i);
        System.arraycopy(buf, i, header, headerFilled, n);
        headerFilled += n;
        i += n;
        if (headerFilled == BLOCK) {
          headerFilled = 0;
          startEntry();
        }
      }
    }
  }

  private void startEntry() throws IOException {
    if (allZero(header)) {
      ended = true; // pg_basebackup ends with two zero blocks; the first is enough to know
      return;
    }
    currentType = (char) header[156];
    currentSize = size();
    String name = nextName != null ? nextName : name();
    nextName = null;
    currentName = name.startsWith("./") ? name.substring(2) : name;
    crc = new CRC32C();
    capturing = capture.contains(currentName) && isFile() ? new ByteArrayOutputStream() : null;
    longName = currentType == 'L' || currentType == 'x' ? new ByteArrayOutputStream() : null;
    dataLeft = currentSize;
    paddingLeft = (BLOCK - currentSize % BLOCK) % BLOCK;
    if (dataLeft == 0) {
      endEntry();
    }
  }

  private void data(byte[] buf, int off, int n) {
    if (isFile()) {
      crc.update(buf, off, n);
    }
    if (capturing != null) {
      capturing.write(buf, off, n);
    }
    if (longName != null) {
      longName.write(buf, off, n);
    }
  }

  private void endEntry() throws IOException {
    if (isFile()) {
      long v = crc.getValue();
      files.put(currentName, new Seen(currentSize, String.format("%02x%02x%02x%02x", v & 0xff, (v >> 8) & 0xff,
          (v >> 16) & 0xff, (v >> 24) & 0xff)));
      if (capturing != null) {
        captured.put(currentName, capturing.toByteArray());
      }
    } else if (currentType == 'L') {
      nextName = new String(longName.toByteArray(), StandardCharsets.UTF_8).replace("\0", "");
    } else if (currentType == 'x') {
      nextName = paxPath(new String(longName.toByteArray(), StandardCharsets.UTF_8));
    }
  }

  private boolean isFile() {
    return currentType == '0' || currentType == '\0';
  }

  private String name() {
    String name = text(0, 100);
    String prefix = new String(header, 257, 6, StandardCharsets.US_ASCII).startsWith("ustar") ? text(345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private long size() throws IOException {
    if ((header[124] & 0x80) != 0) { // base-256, for sizes past 8 GB
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (header[i] & 0xff);
      }
      return v;
    }
    String octal = text(124, 12).trim();
    try {
      return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar stream: bad size field '" + octal + "'");
    }
  }

  private String text(int from, int len) {
    int end = from;
    while (end < from + len && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.UTF_8);
  }

  /** The path= record of a pax header ("30 path=some/long/name\n"), or null. */
  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
