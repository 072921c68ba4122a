package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.Callable;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", description = {
    "Run an in-process Temporal server and a worker on it, until interrupted.",
    "The embedded server keeps everything in memory: workflows do not survive its restart."})
public final class DevCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin MetricsOptions metricsOptions;

  @Option(names = "--port", defaultValue = "7233", description = "Port of the embedded server (default 7233).")
  int port;

  @Override
  public Integer call() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port);
         WorkerMetrics metrics = new WorkerMetrics();
         Temporal temporal = Temporal.local(server.address(), metrics.scope());
         WorkerHost worker = WorkerHost.start(temporal.service(), "default", config.path(), metrics)) {
      var out = spec.commandLine().getOut();
      out.println("Temporal dev server on " + server.address() + ", namespace default");
      out.println("worker polling task queue lifeboat with " + config.path().toAbsolutePath());
      HttpServer endpoint = metricsOptions.serve(metrics, out);
      out.println("ready; Ctrl-C to stop");
      out.flush();
      WorkerCommand.awaitShutdown(endpoint);
    }
    return ExitCodes.OK;
  }
}
