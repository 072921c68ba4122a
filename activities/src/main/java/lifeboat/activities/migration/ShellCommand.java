package lifeboat.activities.migration;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Runs one {@code sh -c} command with exactly the given environment, stdin from /dev/null (a tool that asks
 * "are you sure?" gets end-of-file rather than hanging), stdout and stderr merged and only the last lines
 * kept. On timeout or interruption the whole process tree is killed: {@code sh -c "npx prisma ..."} leaves
 * node as a grandchild, which would otherwise go on migrating after the step has given up.
 */
public final class ShellCommand {
  static final int TAIL_LINES = 40;
  private static final int MAX_LINE_CHARS = 500;

  /** How a command ended; {@code tail} is raw (not yet redacted). */
  public record Outcome(int exitCode, boolean timedOut, String tail) {
    public boolean succeeded() {
      return !timedOut && exitCode == 0;
    }
  }

  private ShellCommand() {}

  public static Outcome run(String command, Path workDir, Map<String, String> environment, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(environment);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TOOL_MISSING, "could not start sh: " + e.getMessage(),
          "the worker needs a POSIX shell at sh on its PATH");
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> keepTail(process, tail), "migrator-output");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        killTree(process);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      synchronized (tail) {
        return new Outcome(exited ? process.exitValue() : -1, !exited, String.join("\n", tail));
      }
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      // Not a LifeboatException: the worker is stopping or the step was cancelled, which says nothing about
      // the migration, so whatever decides next (retry, cancellation) must not see MIGRATION_FAILED.
      throw new IllegalStateException("migrator command was interrupted and killed", e);
    }
  }

  private static void keepTail(Process process, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // the process was killed: what was read is kept
    }
  }

  /** Descendants are listed before anything dies: once the shell is gone its children are re-parented and lost. */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(10);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // SIGKILL cannot be refused; a process not yet reaped is as good as gone
      }
    }
  }
}
