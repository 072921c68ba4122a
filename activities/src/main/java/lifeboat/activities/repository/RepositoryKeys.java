package lifeboat.activities.repository;

import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** The one refusal of every repository driver for a key that would leave the repository. */
final class RepositoryKeys {
  private RepositoryKeys() {}

  static LifeboatException outside(String key) {
    return new LifeboatException(ErrorCode.KEY_OUTSIDE_REPOSITORY, "repository key escapes the repository: " + key,
        "names of databases and backup ids must not hold '/', '..' or '\\' (a manifest that does was altered):"
            + " nothing was read or written");
  }
}
