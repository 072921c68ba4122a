package lifeboat.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import lifeboat.workflows.model.BinlogNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binlog file layout the archive relies on, on files built to the v4 format: complete events counted and
 * hashed, a torn last event (a file still being written) left out, a file without the magic refused; and file
 * names ordered by number and followed by the next one.
 */
class BinlogFilesTest {
  @TempDir Path dir;

  /** A v4 event: 19-byte header (timestamp, type, server id, size, next position, flags), then its body. */
  static byte[] event(long timestamp, int bodyBytes) {
    ByteBuffer b = ByteBuffer.allocate(19 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) timestamp).put((byte) 2).putInt(1).putInt(19 + bodyBytes).putInt(0).putShort((short) 0);
    return b.array();
  }

  @Test
  void completeEventsAreCountedHashedAndTimedAndATornLastOneIsLeftOut() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(BinlogScan.MAGIC);
    file.write(event(0, 20)); // a remote stream's fake rotate event has no timestamp
    file.write(event(1_796_000_000L, 100));
    file.write(event(1_796_000_007L, 50));
    int complete = file.size();
    file.write(java.util.Arrays.copyOf(event(1_796_000_009L, 400), 60)); // still being written
    Path p = dir.resolve("binlog.000007");
    Files.write(p, file.toByteArray());

    BinlogScan scan = BinlogScan.of(p);
    assertEquals(complete, scan.completeBytes());
    assertEquals(1_796_000_000L, scan.firstEventSecond());
    assertEquals(1_796_000_007L, scan.lastEventSecond(), "the torn event's time does not count");
    byte[] prefix = java.util.Arrays.copyOf(file.toByteArray(), complete);
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(prefix)), scan.sha256());
  }

  @Test
  void aFileWithoutTheMagicOrWithAnImpossibleEventIsRefused() throws Exception {
    Path notBinlog = Files.writeString(dir.resolve("binlog.000001"), "hello, not a binlog");
    assertThrows(IOException.class, () -> BinlogScan.of(notBinlog));
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(BinlogScan.MAGIC);
    byte[] bad = event(1, 0);
    bad[9] = 3; // size 3: smaller than its own header
    bad[10] = 0;
    file.write(bad);
    Path p = dir.resolve("binlog.000002");
    Files.write(p, file.toByteArray());
    assertTrue(assertThrows(IOException.class, () -> BinlogScan.of(p)).getMessage().contains("impossible size"));
  }

  @Test
  void namesAreOrderedByNumberAndFollowedByTheNext() {
    assertEquals("binlog.000043", BinlogNames.next("binlog.000042"));
    assertEquals("binlog.1000000", BinlogNames.next("binlog.999999"));
    List<String> names = new ArrayList<>(List.of("binlog.1000000", "binlog.000002", "binlog.999999"));
    names.sort(BinlogNames.ORDER);
    assertEquals(List.of("binlog.000002", "binlog.999999", "binlog.1000000"), names);
    assertTrue(BinlogNames.valid("mysql-bin.000001"));
    assertFalse(BinlogNames.valid("../etc/passwd.1"), "a name is a file name");
    assertFalse(BinlogNames.valid("binlog.index"));
  }
}
