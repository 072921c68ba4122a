package lifeboat.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import lifeboat.cli.runbook.RunbookLoader;
import lifeboat.cli.schedule.Schedules;
import lifeboat.workflows.SearchAttributes;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.TemporalCliServer;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import lifeboat.worker.history.CodecServer;
import lifeboat.worker.history.HistoryEncryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true, description = {
    "Run a Temporal server and a worker on it, until interrupted.",
    "With the Temporal CLI (on the PATH, or --temporal-cli), the server is its real dev server, state kept in"
        + " --state DIR: workflows, schedules and approvals survive a restart of `lifeboat dev` or of the machine.",
    "Without it, an in-memory server that keeps nothing; the runbooks' schedules are applied at every start."})
public final class DevCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin MetricsOptions metricsOptions;

  @Option(names = "--port", defaultValue = "7233", description = "Port of the server's frontend (default 7233).")
  int port;

  @Option(names = "--ui-port", description = "Port of the Web UI (default: --port + 1000); 0 for none.")
  Integer uiPort;

  @Option(names = "--state", defaultValue = ".lifeboat",
      description = "Folder of the real server's database and log (default ./.lifeboat).")
  Path state;

  @Option(names = "--temporal-cli", description = "The Temporal CLI to run the real dev server with (default:"
      + " `temporal` on the PATH).")
  Path temporalCli;

  @Option(names = "--in-memory", description = "Use the in-memory server even when the Temporal CLI is there.")
  boolean inMemory;

  @Option(names = "--runbooks", description = "Runbooks whose schedules are applied at start (default ./runbooks"
      + " when it exists).")
  Path runbooks;

  @Override
  public Integer call() throws Exception {
    Path dir = runbooks != null ? runbooks : Files.isDirectory(Path.of("runbooks")) ? Path.of("runbooks") : null;
    List<Runbook> loaded = dir == null ? List.of() : RunbookLoader.loadDirectory(dir,
        lifeboat.worker.ConfiguredDatabases.of(config.path(), config.named()).orElse(null)).orThrow();
    PrintWriter out = spec.commandLine().getOut();
    Optional<Path> cli = inMemory ? Optional.empty() : TemporalCliServer.findCli(temporalCli);
    if (cli.isEmpty()) {
      if (!inMemory) {
        out.println("no Temporal CLI found: using the in-memory server, which keeps nothing across its restart."
            + " HINT: for a durable one, " + TemporalCliServer.INSTALL_HINT);
      }
      try (ShutdownSignal shutdown = new ShutdownSignal(); EmbeddedTemporal server = EmbeddedTemporal.start(port)) {
        out.println("Temporal in-memory server on " + server.address() + ", namespace default");
        return serve(shutdown, server.address(), dir, loaded, out);
      }
    }
    int ui = uiPort != null ? uiPort : port + 1000;
    try (ShutdownSignal shutdown = new ShutdownSignal();
         CodecServer codec = uiCodec(ui);
         TemporalCliServer server = TemporalCliServer.start(new TemporalCliServer.Settings(cli.get(), state, port, ui,
             SearchAttributes.TYPES, codec == null ? null : codec.url()))) {
      server.stoppedOrphan().ifPresent(out::println);
      if (codec != null) {
        out.println("Web UI decodes payloads with the history key through " + codec.url());
      }
      out.println("Temporal dev server on " + server.address() + ", namespace default, state in "
          + state.toAbsolutePath().normalize() + " (" + cli.get() + ")");
      server.uiAddress().ifPresent(address -> out.println("Web UI: " + address));
      return serve(shutdown, server.address(), dir, loaded, out);
    }
  }

  /**
   * With a history key and a Web UI, its codec endpoints on a free port of this machine (as `codec-server`), so
   * the UI shows decrypted payloads; else null.
   */
  private CodecServer uiCodec(int ui) {
    if (ui == 0) {
      return null;
    }
    return HistoryEncryption.codec(config.path()).map(codec -> CodecServer.start(codec,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        List.of("http://localhost:" + ui, "http://127.0.0.1:" + ui))).orElse(null);
  }

  private Integer serve(ShutdownSignal shutdown, String address, Path dir, List<Runbook> loaded, PrintWriter out)
      throws Exception {
    try (WorkerMetrics metrics = new WorkerMetrics();
         Temporal temporal = Temporal.local(address, metrics.scope(),
             HistoryEncryption.dataConverter(config.path(), true));
         WorkerHost worker = WorkerHost.start(temporal.service(), "default", config.path(), metrics)) {
      out.println("worker (role all) polling every Lifeboat task queue with " + config.path().toAbsolutePath() + " on "
          + worker.server().describe());
      worker.removedDrillTargets().forEach(out::println);
      HttpServer endpoint = metricsOptions.serve(metrics, out);
      if (dir != null) {
        out.println("schedules of " + dir.toAbsolutePath() + ":");
        Schedules.apply(temporal, loaded, out);
      }
      out.println("ready; Ctrl-C to stop");
      out.flush();
      WorkerCommand.awaitShutdown(shutdown, endpoint);
    }
    return ExitCodes.OK;
  }
}
