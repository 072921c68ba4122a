package lifeboat.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/** A real HTTP endpoint on 127.0.0.1 that keeps every body posted to /hook: the alerts webhook of a test. */
final class WebhookInbox implements AutoCloseable {
  private final HttpServer server;
  private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();

  WebhookInbox() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Every body received so far, in order. */
  List<String> received() {
    return new ArrayList<>(bodies);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
