package lifeboat.worker.history;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Temporal's remote codec endpoints, so the Web UI (and {@code temporal --codec-endpoint}) can show decoded
 * payloads to whoever holds the key: {@code POST /encode} and {@code POST /decode} take and return the protobuf
 * JSON form of Payloads, {@code {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}}. A path
 * prefix is allowed ({@code /default/decode}), as the UI can put the namespace there. CORS answers the origin
 * es it was given: the browser sends the UI's payloads here, so no other web page may use it as a decryption oracle.
 */
public final class CodecServer implements AutoCloseable {
  private final HttpServer server;

  private CodecServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param origins  the Web UI's origins, e.g. http://localhost:8233, allowed by CORS (a request from any other
   *                 origin gets no CORS headers, so the browser refuses it the answer)
   */
  public static CodecServer start(PayloadCodec codec, InetSocketAddress address, List<String> origins) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + " (is the port taken?)", e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        handle(exchange, codec, origins);
      }
    });
    server.start();
    return new CodecServer(server);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Where the endpoints are, as the Web UI's --ui-codec-endpoint takes it. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  private static void handle(HttpExchange exchange, PayloadCodec codec, List<String> origins) throws IOException {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null && origins.contains(origin)) {
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
      exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type,X-Namespace");
      exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "POST,OPTIONS");
      exchange.getResponseHeaders().set("Vary", "Origin");
    }
    String path = exchange.getRequestURI().getPath();
    UnaryOperator<List<Payload>> operation = path.endsWith("/encode") ? codec::encode
        : path.endsWith("/decode") ? codec::decode : null;
    if (operation == null) {
      reply(exchange, 404, "text/plain", "not found: POST /encode or /decode");
    } else if (exchange.getRequestMethod().equals("OPTIONS")) {
      exchange.sendResponseHeaders(200, -1);
    } else if (!exchange.getRequestMethod().equals("POST")) {
      reply(exchange, 405, "text/plain", "method not allowed: POST /encode or /decode");
    } else {
      convert(exchange, operation);
    }
  }

  private static void convert(HttpExchange exchange, UnaryOperator<List<Payload>> operation) throws IOException {
    Payloads.Builder request = Payloads.newBuilder();
    try {
      JsonFormat.parser().merge(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), request);
    } catch (InvalidProtocolBufferException e) {
      reply(exchange, 400, "text/plain", "the body is not Payloads in protobuf JSON"
          + " ({\"payloads\":[{\"metadata\":{...},\"data\":\"<base64>\"}]}): " + e.getMessage());
      return;
    }
    List<Payload> converted;
    try {
      converted = operation.apply(request.getPayloadsList());
    } catch (HistoryKeyException e) {
      reply(exchange, 400, "text/plain", e.userMessage());
      return;
    }
    reply(exchange, 200, "application/json",
        JsonFormat.printer().omittingInsignificantWhitespace().print(Payloads.newBuilder().addAllPayloads(converted)));
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
