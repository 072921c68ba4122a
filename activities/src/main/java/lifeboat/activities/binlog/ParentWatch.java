package lifeboat.activities.binlog;

import java.io.IOException;

/**
 * Ends a child tool when the worker's JVM dies. A SIGKILLed JVM leaves its children running: a `mariadb-binlog
 * --stop-never` would go on reading the binlog into a staging folder nobody empties, for as long as the server
 * lets it. A small `sh` holds a pipe from the JVM on its stdin; when the pipe closes (the JVM is gone, or
 * {@link #close} ran), it ends the tool, if that pid is still the tool.
 */
final class ParentWatch implements AutoCloseable {
  private final Process watcher;

  private ParentWatch(Process watcher) {
    this.watcher = watcher;
  }

  /** @param tool the name in the child's command line, checked before the kill (a pid can be reused) */
  static ParentWatch of(Process child, String tool) {
    long pid = child.pid();
    try {
      return new ParentWatch(new ProcessBuilder("sh", "-c", "cat > /dev/null; grep -q " + tool + " /proc/" + pid
          + "/cmdline 2>/dev/null && kill " + pid + " 2>/dev/null; exit 0")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    } catch (IOException e) {
      child.destroyForcibly();
      throw new java.io.UncheckedIOException("cannot watch " + tool + " for the worker's death", e);
    }
  }

  @Override
  public void close() {
    try {
      watcher.getOutputStream().close();
      watcher.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException ignored) {
      // the watcher is gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watcher.destroyForcibly();
  }
}
