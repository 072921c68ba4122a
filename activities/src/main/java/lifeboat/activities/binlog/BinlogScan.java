package lifeboat.activities.binlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a binary log file holds, read from its event headers (the v4 format MariaDB and MySQL write: a 4-byte
 * magic, then events whose 19-byte header starts with a 4-byte timestamp and has the event's size at bytes
 * 9-12): the bytes of its complete events, their SHA-256, and the first and last event timestamp. A file still
 * being written may end inside an event; only the complete events before it count, so a partial copy is
 * always a readable binlog.
 *
 * @param completeBytes     the magic and every complete event
 * @param firstEventSecond  the smallest non-zero event timestamp (epoch seconds), 0 when none
 * @param lastEventSecond   the largest event timestamp, 0 when none
 * @param sha256            hex SHA-256 of the first {@code completeBytes} bytes
 */
record BinlogScan(long completeBytes, long firstEventSecond, long lastEventSecond, String sha256) {
  static final byte[] MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};
  private static final int HEADER = 19;

  /** Walks the headers (event bodies are skipped), then hashes the complete prefix. */
  static BinlogScan of(Path file) throws IOException {
    long complete;
    long first = 0;
    long last = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer magic = ByteBuffer.allocate(4);
      readFully(ch, magic, 0);
      if (magic.position() < 4 || !java.util.Arrays.equals(magic.array(), MAGIC)) {
        throw new IOException(file.getFileName() + " is not a binary log (no 0xfe 'bin' magic)");
      }
      complete = 4;
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      while (complete + HEADER <= size) {
        header.clear();
        readFully(ch, header, complete);
        long timestamp = Integer.toUnsignedLong(header.getInt(0));
        long eventSize = Integer.toUnsignedLong(header.getInt(9));
        if (eventSize < HEADER) {
          throw new IOException(file.getFileName() + ": the event at byte " + complete + " has an impossible size "
              + eventSize);
        }
        if (complete + eventSize > size) {
          break; // the last event is still being written
        }
        complete += eventSize;
        if (timestamp != 0) { // the fake rotate event of a remote stream has none
          first = first == 0 ? timestamp : Math.min(first, timestamp);
          last = Math.max(last, timestamp);
        }
      }
    }
    return new BinlogScan(complete, first, last, sha256(file, complete));
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
    while (into.hasRemaining()) {
      if (ch.read(into, at + into.position()) < 0) {
        return;
      }
    }
  }

  private static String sha256(Path file, long bytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (long left = bytes; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(file.getFileName() + " shrank while it was read");
        }
        sha.update(buf, 0, n);
        left -= n;
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
