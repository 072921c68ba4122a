package lifeboat.cli.testing;

import java.nio.file.Path;
import java.time.Duration;

/** `lifeboat dev` as its own process on a free port, ready once it says so. Close stops it. */
public final class DevServer implements AutoCloseable {
  private final CliProcess process;
  private final int port;

  private DevServer(CliProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static DevServer start(Path config) {
    int port = Ports.free();
    CliProcess p = CliProcess.start("dev", "--port", "" + port, "--config", config.toString());
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

  @Override
  public void close() {
    process.close();
  }
}
