package lifeboat.activities.support;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.crypto.Encryptor;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.pipeline.Compression;

/**
 * The first backup a worker runs would otherwise pay for loading its code: the YAML and JSON readers, the PGP
 * key parser, BouncyCastle and the JDK's AES, zstd's native library, the JDBC driver (measured: most of a cold
 * `prepare` step's 0.8 s, docs/benchmarks.md). At worker start, off the caller's thread, this runs that code
 * once on a few bytes into nothing: no database is touched and nothing is written. Whatever fails here is left
 * for the real step to report.
 */
public final class WarmUp {
  private WarmUp() {}

  public static void inBackground(Path configFile) {
    Thread thread = new Thread(() -> run(configFile), "lifeboat-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private static void run(Path configFile) {
    try {
      Config cfg = ConfigLoader.load(configFile);
      Class.forName("org.postgresql.Driver");
      Class.forName("org.sqlite.JDBC");
      List<RecipientKey> recipients = cfg.encryption() == null ? List.of() : Keys.recipients(cfg);
      try (OutputStream zstd = Compression.compress(OutputStream.nullOutputStream(), 1);
           OutputStream out = recipients.isEmpty() ? zstd : Encryptor.encrypt(zstd, recipients)) {
        out.write("lifeboat warm-up".getBytes(StandardCharsets.US_ASCII));
      }
    } catch (Exception | LinkageError e) {
      // the step that needs it reports it, with its code and hint
    }
  }
}
