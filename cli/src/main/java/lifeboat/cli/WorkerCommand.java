package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.Callable;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.TaskQueues.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker against a Temporal server (embedded or a real cluster).")
public final class WorkerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin MetricsOptions metricsOptions;

  @Option(names = "--role", defaultValue = "all", converter = RoleConverter.class,
      description = "backup (public keys only: backup steps), restore (with the private key: restores and"
          + " drills) or all (default ${DEFAULT-VALUE}). Every role also runs workflows and shared steps.")
  Role role;

  /** `backup`, `restore`, `all`, in any case; anything else is invalid input (exit 2). */
  static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a role: backup, restore or all");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    try (ShutdownSignal shutdown = new ShutdownSignal();
         WorkerMetrics metrics = new WorkerMetrics();
         Temporal connection = new Temporal(temporal.connect(metrics.scope()), temporal.namespace());
         WorkerHost worker = WorkerHost.start(connection.service(), temporal.namespace(), config(), role, metrics)) {
      var out = spec.commandLine().getOut();
      out.println("worker (role " + role.cliName() + ") polling " + queues() + " on " + temporal.address()
          + " namespace " + temporal.namespace() + " with " + config().toAbsolutePath() + " on "
          + worker.server().describe());
      worker.removedDrillTargets().forEach(out::println);
      HttpServer endpoint = metricsOptions.serve(metrics, out);
      out.flush();
      awaitShutdown(shutdown, endpoint);
    }
    return ExitCodes.OK;
  }

  private String queues() {
    StringBuilder queues = new StringBuilder(TaskQueues.LIFEBOAT);
    if (role.backs()) {
      queues.append(", ").append(TaskQueues.BACKUP);
    }
    if (role.restores()) {
      queues.append(", ").append(TaskQueues.RESTORE).append(" and this host's queue");
    }
    return queues.toString();
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
