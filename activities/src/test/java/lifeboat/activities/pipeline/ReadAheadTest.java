package lifeboat.activities.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  @Test
  void passesEveryByteThroughInOrderAcrossChunkBoundaries() throws IOException {
    byte[] data = new byte[1_000_003];
    new Random(42).nextBytes(data);
    // A source that hands out odd-sized pieces, like a pipe does.
    InputStream trickle = new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7919));
      }
    };
    try (ReadAhead in = new ReadAhead(trickle, 65_536, 3)) {
      assertArrayEquals(data, in.readAllBytes());
      assertEquals(-1, in.read());
    }
  }

  @Test
  void aFailingSourceFailsTheReaderAfterWhatCameBefore() {
    InputStream failing = new InputStream() {
      private int left = 100_000;

      @Override
      public int read() throws IOException {
        if (left-- <= 0) {
          throw new IOException("pipe broke");
        }
        return 1;
      }
    };
    ReadAhead in = new ReadAhead(failing, 4096, 2);
    IOException e = assertThrows(IOException.class, in::readAllBytes);
    assertEquals("pipe broke", e.getMessage());
    in.close();
  }
}
