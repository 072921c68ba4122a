package lifeboat.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import lifeboat.activities.testing.GpgKeys;

/**
 * A folder holding what a worker needs: lifeboat.yaml, a filesystem repository, keys made by real gpg, and
 * a SQLite database with rows. Postgres databases are added by the tests that need them.
 */
final class TestRepositoryHome {
  final Path dir;
  final GpgKeys keys;
  private final StringBuilder databases = new StringBuilder();
  private final StringBuilder repositories = new StringBuilder("  local: { type: filesystem, path: ./repo }\n");
  private String alerts = "";
  /** The encryption section's privateKey and passphrase lines: by default the key the backups are made for. */
  private String decryption;

  TestRepositoryHome(Path dir, GpgKeys keys) throws IOException {
    this.dir = dir;
    this.keys = keys;
    Files.writeString(dir.resolve("passphrase"), keys.passphrase());
    decryption = "  privateKey: " + keys.secretKeyFile() + "\n  passphrase: file:passphrase\n";
  }

  Path config() {
    return dir.resolve("lifeboat.yaml");
  }

  Path repository() {
    return dir.resolve("repo");
  }

  TestRepositoryHome database(String name, String entry) throws IOException {
    databases.append("  ").append(name).append(": ").append(entry).append('\n');
    return writeConfig();
  }

  /**
   * Database {@code name}: database {@code db} of {@code pg}, its password in a file, with a streaming WAL
   * archive on {@code slot} that stores the segment being written every second.
   */
  TestRepositoryHome postgresWithWal(String name, lifeboat.activities.testing.PgCluster pg, String db, String slot)
      throws IOException {
    Files.writeString(dir.resolve("pg-password"), pg.password());
    return database(name, "{ engine: postgres, url: \"" + pg.url(db) + "\", password: file:pg-password,"
        + " repository: local, wal: { archive: stream, slot: " + slot + ", partialEvery: 1s } }");
  }

  /** Another repository under repositories: beside "local". */
  TestRepositoryHome repository(String name, String entry) throws IOException {
    repositories.append("  ").append(name).append(": ").append(entry).append('\n');
    return writeConfig();
  }

  /** Sends alarms to {@code url}, through a secret file as lifeboat.yaml requires. */
  TestRepositoryHome webhook(String url) throws IOException {
    Files.writeString(dir.resolve("webhook-url"), url);
    alerts = "alerts: { webhook: file:webhook-url }\n";
    return writeConfig();
  }

  /**
   * The private key restores use from now on (activities re-read lifeboat.yaml): {@code null} for none at all,
   * as on a worker that only takes backups. Backups already taken stay encrypted to {@link #keys}.
   */
  TestRepositoryHome decryptWith(Path privateKey, String passphrase) throws IOException {
    if (privateKey == null) {
      decryption = "";
      return writeConfig();
    }
    Files.writeString(dir.resolve("restore-passphrase"), passphrase);
    decryption = "  privateKey: " + privateKey + "\n  passphrase: file:restore-passphrase\n";
    return writeConfig();
  }

  private TestRepositoryHome writeConfig() throws IOException {
    Files.writeString(config(), alerts + """
        repositories:
        %sencryption:
          recipients: [%s]
        %sdatabases:
        %s""".formatted(repositories, keys.publicKeyFile(), decryption, databases));
    return this;
  }

  /** A SQLite database with {@code rows} notes. */
  Path sqlite(String name, int rows) throws SQLException {
    Path file = dir.resolve(name + ".db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.executeUpdate("create table notes (id integer primary key, body text)");
      s.executeUpdate("create table schema_version (v text)");
      s.executeUpdate("insert into schema_version values ('7')");
      s.executeUpdate("with recursive n(i) as (select 1 union all select i + 1 from n where i < " + rows + ") "
          + "insert into notes select i, 'note ' || i || ' ' || hex(randomblob(16)) from n");
    }
    return file;
  }

  static long count(Path sqliteFile, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every file in the repository, partial writes included. */
  Stream<Path> repositoryFiles() throws IOException {
    return Files.exists(repository()) ? Files.walk(repository()).filter(Files::isRegularFile) : Stream.empty();
  }
}
