package lifeboat.activities.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * A running native tool (pg_dump, pg_restore, mariadb-dump...). The caller configures the command, the
 * environment and the stdin/stdout redirects on a {@link ProcessBuilder}; this class starts it, drains
 * stderr in a background thread into a bounded tail buffer, and reports how the tool ended. A missing
 * binary becomes TOOL_MISSING.
 */
public final class ToolProcess implements AutoCloseable {
  /** How much of the tool's stderr is kept for error messages. */
  public static final int STDERR_TAIL_BYTES = 8 * 1024;

  private final String tool;
  private final Process process;
  private final TailBuffer stderr = new TailBuffer(STDERR_TAIL_BYTES);
  private final Thread drainer;

  private ToolProcess(String tool, Process process) {
    this.tool = tool;
    this.process = process;
    this.drainer = new Thread(this::drainStderr, tool + "-stderr");
    drainer.setDaemon(true);
    drainer.start();
  }

  /**
   * Starts the configured command; stderr is always captured (any stderr redirect on {@code pb} is replaced).
   *
   * @param installHint what to install when the binary is missing, e.g. "apt-get install postgresql-client"
   */
  public static ToolProcess start(ProcessBuilder pb, String installHint) {
    String tool = toolName(pb);
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    try {
      return new ToolProcess(tool, pb.start());
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TOOL_MISSING,
          "could not run " + tool + " (" + pb.command().get(0) + "): " + e.getMessage(), installHint);
    }
  }

  private static String toolName(ProcessBuilder pb) {
    String path = pb.command().get(0);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public String tool() {
    return tool;
  }

  public Process process() {
    return process;
  }

  /** The tool's standard output (only meaningful with a PIPE redirect). */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /** The tool's standard input (only meaningful with a PIPE redirect). */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /**
   * Copies {@code in} to the standard input of every tool (tee), then closes their stdins. A tool that
   * closes its stdin early (broken pipe) is dropped silently: its exit status tells whether that was an
   * error. Stops reading when no tool is left. Errors reading {@code in} propagate.
   *
   * @return the number of bytes read from {@code in}
   */
  public static long feed(InputStream in, ToolProcess... tools) throws IOException {
    List<OutputStream> open = new ArrayList<>();
    for (ToolProcess t : tools) {
      open.add(t.stdin());
    }
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while (!open.isEmpty() && (n = in.read(buf)) >= 0) {
        total += n;
        for (Iterator<OutputStream> it = open.iterator(); it.hasNext(); ) {
          OutputStream out = it.next();
          try {
            out.write(buf, 0, n);
          } catch (IOException brokenPipe) {
            closeQuietly(out);
            it.remove();
          }
        }
      }
    } finally {
      for (OutputStream out : open) {
        closeQuietly(out);
      }
    }
    return total;
  }

  /** Waits for the tool to exit and for its stderr to be drained; returns the exit code. */
  public int waitFor() {
    try {
      int code = process.waitFor();
      drainer.join(TimeUnit.SECONDS.toMillis(10));
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new LifeboatException(ErrorCode.DUMP_FAILED, tool + " was interrupted", null, e);
    }
  }

  /** The last {@link #STDERR_TAIL_BYTES} of stderr, trimmed; complete once {@link #waitFor()} returned. */
  public String stderrTail() {
    return stderr.toString().trim();
  }

  /**
   * "exited with status 1" or "was killed by signal 9". The JDK reports a death by signal N as exit code
   * 128 + N, so a code above 128 is described as a signal.
   */
  public static String describeExit(int code) {
    return code > 128 ? "was killed by signal " + (code - 128) : "exited with status " + code;
  }

  /** "pg_dump exited with status 1: <stderr tail>", or without the colon part when stderr was empty. */
  public String failureSummary(int code) {
    String tail = stderrTail();
    return tool + " " + describeExit(code) + (tail.isEmpty() ? "" : ": " + tail);
  }

  /** Kills the tool if it is still running and closes its pipes. Safe to call more than once. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    closeQuietly(process.getOutputStream());
    closeQuietly(process.getInputStream());
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing useful to do: the process is gone or going
    }
  }

  private void drainStderr() {
    byte[] buf = new byte[4096];
    try (InputStream in = process.getErrorStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        stderr.write(buf, n);
      }
    } catch (IOException ignored) {
      // the process died or was destroyed: what was read is kept
    }
  }

  /** Keeps the last {@code capacity} bytes written. */
  private static final class TailBuffer {
    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
      this.ring = new byte[capacity];
    }

    synchronized void write(byte[] b, int len) {
      for (int i = 0; i < len; i++) {
        ring[(int) (written++ % ring.length)] = b[i];
      }
    }

    @Override
    public synchronized String toString() {
      int size = (int) Math.min(written, ring.length);
      byte[] out = new byte[size];
      int start = (int) ((written - size) % ring.length);
      for (int i = 0; i < size; i++) {
        out[i] = ring[(start + i) % ring.length];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
