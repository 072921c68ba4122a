package lifeboat.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lifeboat.worker.WorkerHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "worker", description = "Run a worker against a Temporal server (embedded or a real cluster).")
public final class WorkerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    try (Temporal connection = new Temporal(temporal);
         WorkerHost worker = WorkerHost.start(connection.service(), temporal.namespace(), config.path())) {
      var out = spec.commandLine().getOut();
      out.println("worker polling task queue lifeboat on " + temporal.address() + " namespace "
          + temporal.namespace() + " with " + config.path().toAbsolutePath());
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
