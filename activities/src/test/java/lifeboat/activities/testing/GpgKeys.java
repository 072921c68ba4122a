package lifeboat.activities.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real gpg key pair in a throw-away GNUPGHOME, for tests that must interoperate with gpg itself. The home
 * directory sits directly under /tmp because gpg-agent's socket path must stay short. Close it to stop the
 * agent and delete everything.
 */
public final class GpgKeys implements AutoCloseable {
  public static final String USER_ID = "Lifeboat Test <test@lifeboat>";

  /** Primary (certify-only) and encryption subkey algorithms, as {@code gpg --quick-gen-key} names them. */
  public enum Algorithm {
    CURVE25519("ed25519", "cv25519"),
    RSA3072("rsa3072", "rsa3072");

    final String primary;
    final String subkey;

    Algorithm(String primary, String subkey) {
      this.primary = primary;
      this.subkey = subkey;
    }
  }

  private final Path home;
  private final String passphrase;
  private final String fingerprint;

  private GpgKeys(Path home, String passphrase, String fingerprint) {
    this.home = home;
    this.passphrase = passphrase;
    this.fingerprint = fingerprint;
  }

  /**
   * Generates a key; an empty passphrase gives an unprotected private key.
   *
   * <p>gpg-agent 2.2.40 now and then refuses to export a key it has just made ("error receiving key from
   * agent: Corrupted protection", once in CI over many hundred keys, never reproduced by hand). That is the
   * agent's fault, not the test's, so such a key is thrown away and a new one made in a fresh home.
   */
  public static GpgKeys generate(Algorithm algorithm, String passphrase) {
    for (int attempt = 1; ; attempt++) {
      try {
        return generateOnce(algorithm, passphrase);
      } catch (IllegalStateException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Corrupted protection")) {
          throw e;
        }
      }
    }
  }

  private static GpgKeys generateOnce(Algorithm algorithm, String passphrase) {
    Path home;
    try {
      home = Files.createTempDirectory(Path.of("/tmp"), "gpg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GpgKeys keys = null;
    try {
      gpg(home, passphrase, "--quick-gen-key", USER_ID, algorithm.primary, "cert", "never");
      String fingerprint = firstFingerprint(gpg(home, passphrase, "--with-colons", "--list-keys"));
      keys = new GpgKeys(home, passphrase, fingerprint);
      gpg(home, passphrase, "--quick-add-key", fingerprint, algorithm.subkey, "encr", "never");
      gpg(home, passphrase, "--armor", "--output", keys.publicKeyFile().toString(), "--export", fingerprint);
      gpg(home, passphrase, "--armor", "--output", keys.secretKeyFile().toString(), "--export-secret-keys",
          fingerprint);
      return keys;
    } catch (RuntimeException e) {
      (keys != null ? keys : new GpgKeys(home, passphrase, "")).close();
      throw e;
    }
  }

  public Path home() {
    return home;
  }

  public String passphrase() {
    return passphrase;
  }

  /** Primary key fingerprint, uppercase hex, as {@code gpg --list-keys} shows it. */
  public String fingerprint() {
    return fingerprint;
  }

  public Path publicKeyFile() {
    return home.resolve("public.asc");
  }

  public Path secretKeyFile() {
    return home.resolve("secret.asc");
  }

  /** Subkey ids (16 hex digits, uppercase) of this key, as found in a message's recipient list. */
  public List<String> keyIds() {
    List<String> ids = new ArrayList<>();
    for (String line : gpg(home, passphrase, "--with-colons", "--list-keys").split("\n")) {
      String[] fields = line.split(":");
      if (fields[0].equals("pub") || fields[0].equals("sub")) {
        ids.add(fields[4]);
      }
    }
    return ids;
  }

  /** {@code gpg --encrypt} to this key; extra arguments such as {@code -z 0} or another {@code --recipient-file}. */
  public void encryptWithGpg(Path in, Path out, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--trust-model", "always", "--recipient-file",
        publicKeyFile().toString(), "--output", out.toString()));
    args.addAll(List.of(extraArgs));
    args.addAll(List.of("--encrypt", in.toString()));
    gpg(home, passphrase, args.toArray(String[]::new));
  }

  /** {@code gpg --decrypt} with this key; fails if gpg fails (including on a bad integrity check). */
  public void decryptWithGpg(Path in, Path out) {
    gpg(home, passphrase, "--output", out.toString(), "--decrypt", in.toString());
  }

  @Override
  public void close() {
    try {
      run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent"));
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a leftover directory in /tmp is harmless
      }
    }
  }

  private static String gpg(Path home, String passphrase, String... args) {
    List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
        "--pinentry-mode", "loopback", "--passphrase", passphrase));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String firstFingerprint(String colonListing) {
    for (String line : colonListing.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new IllegalStateException("no fingerprint in gpg output: " + colonListing);
  }

  /** Runs a command and returns its standard output; a non-zero exit throws with stderr in the message. */
  private static String run(List<String> command) {
    try {
      Path err = Files.createTempFile("gpg", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + command.get(0) + " " + command.get(command.size() - 1));
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(command.get(0) + " exited " + process.exitValue() + ": "
              + Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
