package lifeboat.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `lifeboat` as a separate JVM ({@code java -Xmx256m -cp <test classpath> lifeboat.cli.Main ...}), its output
 * going to files so a long-running one (dev, worker) never blocks on a full pipe. Close it to kill it.
 */
public final class CliProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private CliProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The classpath of this test run: surefire's own property when it forks through a manifest-only jar. */
  public static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  /** Starts `lifeboat ARGS` and returns at once. */
  public static CliProcess start(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", classpath(), "lifeboat.cli.Main"));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("lifeboat-cli", ".out");
      Path err = Files.createTempFile("lifeboat-cli", ".err");
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      return new CliProcess(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs `lifeboat ARGS` to its end (killed after {@code timeout}). */
  public static CliResult run(Duration timeout, String... args) {
    try (CliProcess p = start(args)) {
      return p.await(timeout);
    }
  }

  /** Waits for the process to exit on its own. */
  public CliResult await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout + ":\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new CliResult(process.exitValue(), read(stdout), read(stderr));
  }

  /** Polls standard output until a line contains {@code text}; fails early if the process dies. */
  public void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!read(stdout).contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError("exited " + process.exitValue() + " before printing '" + text + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' after " + timeout + ":\n" + output());
      }
      sleep(100);
    }
  }

  public Process process() {
    return process;
  }

  public String output() {
    return "--- stdout ---\n" + read(stdout) + "--- stderr ---\n" + read(stderr);
  }

  /** SIGKILL (on Linux), then waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("process " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Asks politely (SIGTERM, so shutdown hooks run), then kills; deletes the captured output. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          kill();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      try {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      } catch (IOException ignored) {
        // temp files: harmless if left
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
