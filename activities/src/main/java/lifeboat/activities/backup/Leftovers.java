package lifeboat.activities.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.backup.BackupIds;

/**
 * Removes what interrupted attempts left behind: partial writes, and objects whose manifest never came
 * (a workflow terminated between dump and publish). Only old ones: a backup running right now has no
 * manifest yet either, and must not be swept from under its feet.
 */
final class Leftovers {
  static final Duration AGE = Duration.ofHours(48);

  private Leftovers() {}

  static void sweep(Repository repo, String database) {
    String prefix = BackupLayout.databasePrefix(database);
    repo.removeAbandonedWrites(prefix, AGE);
    Set<String> ids = new LinkedHashSet<>();
    Set<String> published = new LinkedHashSet<>();
    for (String key : repo.list(prefix)) {
      String id = BackupLayout.backupIdOf(database, key);
      if (id != null) {
        ids.add(id);
        if (key.equals(BackupLayout.manifestKey(database, id))) {
          published.add(id);
        }
      }
    }
    Instant cutoff = Instant.now().minus(AGE);
    for (String id : ids) {
      if (!published.contains(id) && startedBefore(id, cutoff)) {
        for (String key : repo.list(BackupLayout.backupPrefix(database, id))) {
          repo.remove(key);
        }
      }
    }
  }

  /** False for names that are not backup ids: not ours, left alone. */
  private static boolean startedBefore(String backupId, Instant cutoff) {
    return BackupIds.startedAt(backupId).map(started -> started.isBefore(cutoff)).orElse(false);
  }
}
