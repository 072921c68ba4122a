package lifeboat.cli.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `lifeboat dev` as its own process on a free port, ready once it says so. Close stops it. */
public final class DevServer implements AutoCloseable {
  private final CliProcess process;
  private final int port;

  private DevServer(CliProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** On the in-memory server: this test is about the CLI, not about durability. */
  public static DevServer start(Path config) {
    int port = Ports.free();
    return await(CliProcess.start("dev", "--in-memory", "--port", "" + port, "--config", config.toString()), port);
  }

  /**
   * On the real dev server (the Temporal CLI must be installed), its state in {@code state}, headless: start it
   * again on the same state and port after {@link #crash()} and it carries on where it stopped.
   */
  public static DevServer startDurable(Path config, Path state, int port) {
    return await(CliProcess.start("dev", "--port", "" + port, "--ui-port", "0", "--state", state.toString(),
        "--temporal-cli", RealTemporal.cli().toString(), "--config", config.toString()), port);
  }

  private static DevServer await(CliProcess p, int port) {
    try {
      p.awaitOutput("ready", Duration.ofMinutes(3));
      return new DevServer(p, port);
    } catch (RuntimeException | AssertionError e) {
      p.close();
      throw e;
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public String output() {
    return process.output();
  }

  /** The `lifeboat dev` process, for the kill tests' liveness checks and its output. */
  public CliProcess cli() {
    return process;
  }

  /**
   * As a machine crash would: SIGKILL the Temporal server this `lifeboat dev` started and the JVM itself, at
   * once, so neither can close anything. Returns when both are gone.
   */
  public void crash() {
    List<ProcessHandle> all = new ArrayList<>(process.process().descendants().toList());
    all.add(process.process().toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("process " + p.pid() + " survived SIGKILL", e);
      }
    }
  }

  /**
   * SIGTERM, as `systemctl stop` or a Ctrl-C would: `lifeboat dev` shuts down on its own (worker, then the server
   * it started). Returns when it has exited.
   */
  public void terminate() {
    process.process().destroy();
    try {
      if (!process.process().waitFor(90, TimeUnit.SECONDS)) {
        throw new AssertionError("`lifeboat dev` still runs 90 s after SIGTERM:\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
