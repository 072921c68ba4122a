package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lifeboat.cli.runbook.RunbookLoader;
import lifeboat.cli.schedule.Schedules;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", description = {
    "Run an in-process Temporal server and a worker on it, until interrupted.",
    "The embedded server keeps everything in memory: workflows do not survive its restart, so the schedules",
    "of the runbooks folder are applied at every start."})
public final class DevCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin MetricsOptions metricsOptions;

  @Option(names = "--port", defaultValue = "7233", description = "Port of the embedded server (default 7233).")
  int port;

  @Option(names = "--runbooks", description = "Runbooks whose schedules are applied at start (default ./runbooks"
      + " when it exists).")
  Path runbooks;

  @Override
  public Integer call() throws Exception {
    Path dir = runbooks != null ? runbooks : Files.isDirectory(Path.of("runbooks")) ? Path.of("runbooks") : null;
    List<Runbook> loaded = dir == null ? List.of() : RunbookLoader.loadDirectory(dir).orThrow();
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port);
         WorkerMetrics metrics = new WorkerMetrics();
         Temporal temporal = Temporal.local(server.address(), metrics.scope());
         WorkerHost worker = WorkerHost.start(temporal.service(), "default", config.path(), metrics)) {
      var out = spec.commandLine().getOut();
      out.println("Temporal dev server on " + server.address() + ", namespace default");
      out.println("worker polling task queue lifeboat with " + config.path().toAbsolutePath());
      HttpServer endpoint = metricsOptions.serve(metrics, out);
      if (dir != null) {
        out.println("schedules of " + dir.toAbsolutePath() + ":");
        Schedules.apply(temporal, loaded, out);
      }
      out.println("ready; Ctrl-C to stop");
      out.flush();
      WorkerCommand.awaitShutdown(endpoint);
    }
    return ExitCodes.OK;
  }
}
