package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import lifeboat.worker.WorkerMetrics;
import picocli.CommandLine.Option;

/** Where a hosted worker serves Prometheus metrics: off unless a port is given. */
public final class MetricsOptions {
  @Option(names = "--metrics-port", defaultValue = "${env:LIFEBOAT_METRICS_PORT:-0}",
      description = "Serve Prometheus metrics on http://ADDRESS:PORT/metrics (env LIFEBOAT_METRICS_PORT; "
          + "default 0: off).")
  int port;

  @Option(names = "--metrics-address", defaultValue = "127.0.0.1",
      description = "Address the metrics endpoint binds (default ${DEFAULT-VALUE}: this machine only; "
          + "0.0.0.0 for every interface). It has no authentication.")
  String address;

  /** Starts the endpoint when a port is set, and says where; null when metrics are off. */
  public HttpServer serve(WorkerMetrics metrics, PrintWriter out) {
    if (port == 0) {
      return null;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--metrics-port must be between 1 and 65535 (0: off)");
    }
    HttpServer server = metrics.serve(new InetSocketAddress(address, port));
    out.println("metrics on http://" + address + ":" + server.getAddress().getPort() + "/metrics");
    return server;
  }

  public static void stop(HttpServer server) {
    if (server != null) {
      server.stop(0);
    }
  }
}
