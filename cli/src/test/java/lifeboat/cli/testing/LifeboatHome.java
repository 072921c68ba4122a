package lifeboat.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import lifeboat.cli.keys.KeyGenerator;

/**
 * A worker's folder in a temp dir: lifeboat.yaml, an OpenPGP key pair (made by {@link KeyGenerator}) whose
 * passphrase is unique to this home and kept in keys/passphrase, and a filesystem repository ./repo.
 * Add databases as YAML flow mappings, then {@link #writeConfig()}. Close it to delete everything.
 */
public final class LifeboatHome implements AutoCloseable {
  private final Path dir;
  private final String passphrase = "pp-" + UUID.randomUUID();
  private final Map<String, String> databases = new LinkedHashMap<>();
  private final Map<String, String> repositories = new LinkedHashMap<>();
  private String historyKey;

  private LifeboatHome(Path dir) {
    this.dir = dir;
  }

  public static LifeboatHome create() {
    try {
      LifeboatHome home = new LifeboatHome(Files.createTempDirectory("lifeboat-home"));
      Path keys = Files.createDirectories(home.dir.resolve("keys"));
      Files.writeString(keys.resolve("passphrase"), home.passphrase);
      KeyGenerator.generate(keys, "backup", "Lifeboat test <test@lifeboat.invalid>", home.passphrase.toCharArray());
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** e.g. {@code database("app", "{ engine: postgres, url: ..., password: file:pgpass, repository: local }")}. */
  public LifeboatHome database(String name, String flowMapping) {
    databases.put(name, flowMapping);
    return this;
  }

  /** A postgres database whose password is written to a file beside lifeboat.yaml. */
  public LifeboatHome postgres(String name, String url, String password) {
    Path file = writeSecret("pgpass-" + name, password);
    return database(name, "{ engine: postgres, url: \"" + url + "\", password: \"file:" + file.getFileName()
        + "\", repository: local }");
  }

  /** As {@link #postgres}, with a WAL archive: {@code wal} is the flow mapping of its wal: section. */
  public LifeboatHome postgresWithWal(String name, String url, String password, String wal) {
    Path file = writeSecret("pgpass-" + name, password);
    return database(name, "{ engine: postgres, url: \"" + url + "\", password: \"file:" + file.getFileName()
        + "\", repository: local, wal: " + wal + " }");
  }

  public LifeboatHome sqlite(String name, Path file) {
    return database(name, "{ engine: sqlite, path: \"" + file + "\", repository: local }");
  }

  /** A repository beside ./repo (local), e.g. {@code repository("s3", "{ type: s3, bucket: ..., ... }")}. */
  public LifeboatHome repository(String name, String flowMapping) {
    repositories.put(name, flowMapping);
    return this;
  }

  /** Encrypts workflow history with the key {@code reference} names (history.encryptionKey, e.g. file:PATH). */
  public LifeboatHome historyKey(String reference) {
    historyKey = reference;
    return this;
  }

  public Path writeConfig() {
    StringBuilder yaml = new StringBuilder("""
        repositories:
          local: { type: filesystem, path: ./repo }
        """);
    repositories.forEach((name, entry) -> yaml.append("  ").append(name).append(": ").append(entry).append('\n'));
    yaml.append("""
        encryption:
          recipients: [keys/backup.pub.asc]
          privateKey: keys/backup.sec.asc
          passphrase: file:keys/passphrase
        databases:
        """);
    databases.forEach((name, entry) -> yaml.append("  ").append(name).append(": ").append(entry).append('\n'));
    if (historyKey != null) {
      yaml.append("history: { encryptionKey: \"").append(historyKey).append("\" }\n");
    }
    try {
      return Files.writeString(config(), yaml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code backup-worker.yaml} beside lifeboat.yaml: the same databases and repository, the public key only, as a
   * host that only makes backups has it. Call after {@link #writeConfig()}.
   */
  public Path writeBackupOnlyConfig() {
    try {
      String yaml = Files.readString(config()).lines()
          .filter(line -> !line.contains("privateKey:") && !line.contains("passphrase:"))
          .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
      return Files.writeString(dir.resolve("backup-worker.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file holding only {@code secret}, owner-readable, for file: references. */
  public Path writeSecret(String fileName, String secret) {
    try {
      return Files.writeString(dir.resolve(fileName), secret);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path config() {
    return dir.resolve("lifeboat.yaml");
  }

  public Path repository() {
    return dir.resolve("repo");
  }

  public String passphrase() {
    return passphrase;
  }

  public Path secretKey() {
    return dir.resolve("keys/backup.sec.asc");
  }

  /** Every file under the repository whose name matches, e.g. ".partial-" or "manifest.json". */
  public List<Path> repositoryFiles(String nameContains) {
    if (!Files.isDirectory(repository())) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(repository())) {
      return all.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().contains(nameContains)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp folder
    }
  }
}
