package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.Callable;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "worker", description = "Run a worker against a Temporal server (embedded or a real cluster).")
public final class WorkerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin MetricsOptions metricsOptions;

  @Override
  public Integer call() throws Exception {
    try (ShutdownSignal shutdown = new ShutdownSignal();
         WorkerMetrics metrics = new WorkerMetrics();
         Temporal connection = new Temporal(temporal.connect(metrics.scope()), temporal.namespace());
         WorkerHost worker = WorkerHost.start(connection.service(), temporal.namespace(), config(), metrics)) {
      var out = spec.commandLine().getOut();
      out.println("worker polling task queue lifeboat on " + temporal.address() + " namespace "
          + temporal.namespace() + " with " + config().toAbsolutePath() + " on " + worker.server().describe());
      HttpServer endpoint = metricsOptions.serve(metrics, out);
      out.flush();
      awaitShutdown(shutdown, endpoint);
    }
    return ExitCodes.OK;
  }

  /** lifeboat.yaml: the --config of {@link TemporalOptions}, which every command that talks to Temporal has. */
  private java.nio.file.Path config() {
    return temporal.config().path();
  }

  /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM), then stops the metrics endpoint. */
  static void awaitShutdown(ShutdownSignal shutdown, HttpServer metricsEndpoint) throws InterruptedException {
    try {
      shutdown.await();
    } finally {
      MetricsOptions.stop(metricsEndpoint);
    }
  }
}
