package lifeboat.activities.repository;

import lifeboat.activities.config.Config;

/** Opens the repository a database's backups go to. One place to add a storage driver (S3 comes next). */
public final class Repositories {
  private Repositories() {}

  public static Repository open(Config config, String name) {
    var repo = config.repository(name);
    return switch (repo.type()) {
      case "filesystem" -> new FilesystemRepository(config.resolvePath(repo.path()));
      default -> throw new IllegalStateException("validated on load: " + repo.type());
    };
  }
}
