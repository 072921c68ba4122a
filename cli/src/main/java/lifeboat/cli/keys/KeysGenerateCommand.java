package lifeboat.cli.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, description = {
    "Write an OpenPGP key pair for backup encryption.",
    "ASCII armor, gpg-compatible: NAME.pub.asc for every backup worker, NAME.sec.asc only where restores run.",
    "Keep a copy of the secret key off-site: without it no backup opens."})
public final class KeysGenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Folder to write the key files into.")
  Path out;

  @Option(names = "--name", defaultValue = "backup", description = "File name stem (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--user-id", defaultValue = "Lifeboat backups <backups@lifeboat.invalid>",
      description = "OpenPGP user id (default ${DEFAULT-VALUE}).")
  String userId;

  @Option(names = "--passphrase-env", description = "Environment variable holding the passphrase for the secret key.")
  String passphraseEnv;

  @Option(names = "--no-passphrase", description = "Write the secret key unprotected (test keys only).")
  boolean noPassphrase;

  @Override
  public Integer call() throws Exception {
    if ((passphraseEnv == null) == !noPassphrase) {
      throw new IllegalArgumentException("give exactly one of --passphrase-env NAME or --no-passphrase");
    }
    char[] passphrase = null;
    if (passphraseEnv != null) {
      String value = System.getenv(passphraseEnv);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("environment variable " + passphraseEnv + " is not set");
      }
      passphrase = value.toCharArray();
    }
    for (String suffix : new String[] {".pub.asc", ".sec.asc"}) {
      if (Files.exists(out.resolve(name + suffix))) {
        throw new IllegalArgumentException(out.resolve(name + suffix) + " exists: refusing to overwrite a key");
      }
    }
    KeyGenerator.GeneratedKey key = KeyGenerator.generate(out, name, userId, passphrase);
    var w = spec.commandLine().getOut();
    w.println("fingerprint " + key.fingerprint());
    w.println("public key  " + key.publicKey() + "   (encryption.recipients)");
    w.println("secret key  " + key.secretKey() + "   (encryption.privateKey; keep a copy off-site)");
    return ExitCodes.OK;
  }
}
