package lifeboat.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
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

  @Option(names = "--port", defaultValue = "7233", description = "Port of the embedded server (default 7233).")
  int port;

  @Override
  public Integer call() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port);
         Temporal temporal = Temporal.local(server.address());
         WorkerHost worker = WorkerHost.start(temporal.service(), "default", config.path())) {
      var out = spec.commandLine().getOut();
      out.println("Temporal dev server on " + server.address() + ", namespace default");
      out.println("worker polling task queue lifeboat with " + config.path().toAbsolutePath());
      out.println("ready; Ctrl-C to stop");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
