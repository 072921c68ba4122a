package lifeboat.cli;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.worker.history.AesGcmPayloadCodec;
import lifeboat.worker.history.CodecServer;
import lifeboat.worker.history.HistoryEncryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "codec-server", mixinStandardHelpOptions = true, description = {
    "Serve the history key's codec, so the Temporal Web UI shows decrypted payloads.",
    "Temporal's remote codec endpoints (POST /encode, /decode) with lifeboat.yaml's history key, for the Web UI"
        + " (Settings > Codec Server, or `temporal server start-dev --ui-codec-endpoint`).",
    "It decrypts for anyone who can reach it: keep it on this machine (the default) or behind your own auth."})
public final class CodecServerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--port", required = true, description = "Port to listen on (0: any free one).")
  int port;

  @Option(names = "--address", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
  String address;

  @Option(names = "--origin", defaultValue = "http://localhost:8233",
      description = "The Web UI's origin, allowed by CORS (default ${DEFAULT-VALUE}, `lifeboat dev`'s UI).")
  String origin;

  @Override
  public Integer call() throws Exception {
    AesGcmPayloadCodec codec = HistoryEncryption.codec(config.path()).orElseThrow(() -> new IllegalArgumentException(
        config.path() + " sets no history.encryptionKey: there is nothing to decode"
            + " [HISTORY_KEY_MISSING] HINT: add history: { encryptionKey: file:PATH } (docs/configuration.md#history)"));
    try (ShutdownSignal shutdown = new ShutdownSignal();
         CodecServer server = CodecServer.start(codec, new InetSocketAddress(address, port), List.of(origin))) {
      var out = spec.commandLine().getOut();
      out.println("codec server on " + server.url() + " (history key "
          + codec.keyId() + ", CORS origin " + origin + "); Ctrl-C to stop");
      out.flush();
      shutdown.await();
    }
    return ExitCodes.OK;
  }
}
