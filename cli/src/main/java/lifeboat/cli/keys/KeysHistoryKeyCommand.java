package lifeboat.cli.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.worker.history.HistoryKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history-key", mixinStandardHelpOptions = true, description = {
    "Write a new workflow-history encryption key.",
    "32 random bytes, base64, one line, owner-readable only.",
    "Point history.encryptionKey at it (file:PATH) on every worker and every machine that runs lifeboat."})
public final class KeysHistoryKeyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "The key file to write (refused when it exists).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw new IllegalArgumentException(out + " exists: refusing to overwrite a key (histories it wrote need it)");
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    // Created owner-only before the key is written, so it is never readable by others, not even briefly.
    Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    String key = HistoryKey.generate();
    Files.writeString(out, key + "\n");
    spec.commandLine().getOut().println("history key " + HistoryKey.parse(key, out.toString()).id() + " written to "
        + out + "   (history.encryptionKey: file:" + out + ")");
    return ExitCodes.OK;
  }
}
