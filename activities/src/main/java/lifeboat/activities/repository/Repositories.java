package lifeboat.activities.repository;

import lifeboat.activities.config.Config;

/** Opens the repository a database's backups go to. Credentials are resolved here, inside the activity. */
public final class Repositories {
  private Repositories() {}

  public static Repository open(Config config, String name) {
    var repo = config.repository(name);
    return switch (repo.type()) {
      case "filesystem" -> new FilesystemRepository(config.resolvePath(repo.path()));
      case "s3" -> {
        S3Settings settings = S3Settings.of(config, name, repo);
        yield new S3Repository(settings, S3Clients.shared(settings));
      }
      default -> throw new IllegalStateException("validated on load: " + repo.type());
    };
  }

  /** Writes a small object (a report, a timeline) whole: visible under its key only once complete. */
  public static void putSmall(Repository repo, String key, byte[] bytes) {
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(bytes);
      out.commit();
    } catch (java.io.IOException e) {
      throw new lifeboat.activities.errors.LifeboatException(lifeboat.activities.errors.ErrorCode.STORAGE_FAILED,
          "cannot write " + key + ": " + e.getMessage(), "retried; check the repository", e);
    }
  }
}
