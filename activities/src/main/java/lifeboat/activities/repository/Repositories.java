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
}
