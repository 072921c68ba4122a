package lifeboat.worker;

import io.temporal.testserver.TestServer;

/**
 * The in-process Temporal server of `lifeboat dev` and `lifeboat demo`: the port-bound test server from
 * temporal-testing. It keeps everything in memory (nothing survives its restart) and lacks Schedules and
 * visibility queries; a real cluster is the path to durability across machines.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final int port;

  private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static EmbeddedTemporal start(int port) {
    return new EmbeddedTemporal(TestServer.createPortBoundServer(port), port);
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
  }
}
