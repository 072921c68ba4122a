package lifeboat.activities.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a dump tool's output on a thread of its own into a few bounded chunks, so the tool never waits on
 * a 64 KiB pipe while compression and encryption catch up: the stages overlap instead of taking turns.
 * Memory stays at {@code chunks × chunkSize} whatever the dump size.
 */
public final class ReadAhead extends InputStream {
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> queue;
  private final Thread reader;
  private volatile IOException failure;
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  public ReadAhead(InputStream in, int chunkSize, int chunks) {
    this.queue = new ArrayBlockingQueue<>(chunks);
    this.reader = new Thread(() -> pump(in, chunkSize), "lifeboat-read-ahead");
    reader.setDaemon(true);
    reader.start();
  }

  private void pump(InputStream in, int chunkSize) {
    try {
      while (!closed) {
        byte[] chunk = new byte[chunkSize];
        int filled = 0;
        int n;
        while (filled < chunkSize && (n = in.read(chunk, filled, chunkSize - filled)) >= 0) {
          filled += n;
        }
        if (filled > 0) {
          queue.put(filled == chunkSize ? chunk : Arrays.copyOf(chunk, filled));
        }
        if (filled < chunkSize) {
          break; // end of stream
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean fill() throws IOException {
    while (position == current.length) {
      if (ended) {
        return false;
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading ahead");
      }
      position = 0;
      if (current == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return false;
      }
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    return fill() ? current[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  /** Stops reading ahead; the underlying stream is the dump's to close (closing it ends the reader). */
  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    queue.clear();
  }
}
