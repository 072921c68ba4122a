package lifeboat.activities.engine;

import java.io.InputStream;
import java.util.function.IntFunction;
import lifeboat.activities.errors.LifeboatException;

/**
 * A {@link Dump} whose bytes are a tool's standard output. {@link #finish()} closes the stream (a tool that
 * still had output to write then dies of SIGPIPE and is reported), waits for the tool, and turns a non-zero
 * exit or a death by signal into the exception built by {@code failure}.
 */
public final class ToolDump implements Dump {
  private final ToolProcess process;
  private final IntFunction<LifeboatException> failure;

  /** @param failure builds the exception for a non-zero exit code (it may read the process's stderr tail) */
  public ToolDump(ToolProcess process, IntFunction<LifeboatException> failure) {
    this.process = process;
    this.failure = failure;
  }

  @Override
  public InputStream stream() {
    return process.stdout();
  }

  @Override
  public void finish() {
    try {
      process.stdout().close();
    } catch (java.io.IOException ignored) {
      // closing a pipe we read from cannot lose data we still need
    }
    int code = process.waitFor();
    if (code != 0) {
      throw failure.apply(code);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
