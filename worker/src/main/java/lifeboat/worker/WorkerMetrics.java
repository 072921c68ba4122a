package lifeboat.worker;

import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import lifeboat.activities.support.Metrics;

/**
 * One Prometheus registry for a worker process: Lifeboat's gauges (recorded by the activities), the
 * backup failure counter (BackupWorkflow, through the SDK's workflow metrics scope) and the Temporal SDK's
 * own {@code temporal_*} metrics. The tally {@link #scope()} must be given to the service stubs
 * ({@code WorkflowServiceStubsOptions.setMetricsScope}) for the last two to arrive here.
 */
public final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope = new RootScopeBuilder()
      .reporter(new MicrometerClientStatsReporter(registry))
      .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
  private final Metrics metrics = new Metrics(registry);

  public Scope scope() {
    return scope;
  }

  /** What the activities record into. */
  public Metrics activityMetrics() {
    return metrics;
  }

  /** The Prometheus text exposition of everything recorded. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Serves {@code GET /metrics} on the address until closed. Unauthenticated: bind it to loopback unless
   * the network in between is trusted.
   */
  public HttpServer serve(InetSocketAddress address) {
    try {
      HttpServer server = HttpServer.create(address, 0);
      server.createContext("/metrics", exchange -> {
        try (exchange) {
          if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(405, -1);
            return;
          }
          byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          boolean head = exchange.getRequestMethod().equals("HEAD");
          exchange.sendResponseHeaders(200, head ? -1 : body.length);
          if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      scope.close(); // reports what is pending, then stops the reporting thread
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      // nothing left to report to
    }
    registry.close();
  }
}
