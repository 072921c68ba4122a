package lifeboat.activities.repository;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.BackupCatalog;
import lifeboat.workflows.model.BackupManifest;

/** Reads and writes manifest.json, the file that makes a backup exist and describes it completely. */
public final class Manifests {
  // Tolerant on read: a newer Lifeboat may add fields, and an older one must still list those backups.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  public static void write(Repository repo, BackupManifest manifest) {
    String key = BackupLayout.manifestKey(manifest.database(), manifest.backupId());
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(JSON.writeValueAsBytes(manifest));
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BackupManifest read(Repository repo, String database, String backupId) {
    String key = BackupLayout.manifestKey(database, backupId);
    if (!repo.exists(key)) {
      throw new LifeboatException(ErrorCode.BACKUP_NOT_FOUND,
          "no backup " + backupId + " of database " + database,
          "run `lifeboat backup list " + database + "` to see the backups there are");
    }
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, BackupManifest.class);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "manifest " + key + " is unreadable: " + e.getMessage(),
          "the repository was changed by hand or damaged; choose another backup");
    }
  }

  /** All backups of a database, newest first (backup ids sort by time); throws on an unreadable manifest. */
  public static List<BackupManifest> list(Repository repo, String database) {
    return publishedIds(repo, database).stream().map(id -> read(repo, database, id)).toList();
  }

  /**
   * All backups of a database, newest first, and apart from them those whose manifest cannot be read or
   * describes another backup: listing and restore's "latest" go on without them, retention refuses on them.
   */
  public static BackupCatalog catalog(Repository repo, String database) {
    List<BackupManifest> backups = new ArrayList<>();
    List<BackupCatalog.Unreadable> unreadable = new ArrayList<>();
    for (String id : publishedIds(repo, database)) {
      try {
        BackupManifest m = read(repo, database, id);
        if (!id.equals(m.backupId()) || !database.equals(m.database())) {
          unreadable.add(new BackupCatalog.Unreadable(id, "manifest of " + id + " describes " + m.database() + "/"
              + m.backupId()));
        } else {
          backups.add(m);
        }
      } catch (LifeboatException e) {
        // BACKUP_NOT_FOUND: removed between listing and reading, by a retention run meanwhile
        if (e.code() != ErrorCode.CORRUPT_BACKUP && e.code() != ErrorCode.BACKUP_NOT_FOUND) {
          throw e;
        }
        unreadable.add(new BackupCatalog.Unreadable(id, "manifest of " + id + " is unreadable (" + e.getMessage()
            + ")"));
      }
    }
    return new BackupCatalog(backups, unreadable);
  }

  /**
   * The newest {@code limit} verified logical backups (dumps), newest first, passing over unreadable manifests:
   * what a restore's "latest", a drill and the size check choose from. Base backups are left out: they restore
   * to a moment, through WAL ({@link #newestVerifiedBase}). Reads manifests from the newest backup id down and
   * stops once it has enough, so a check costs a few reads however many backups there are.
   */
  public static List<BackupManifest> newestVerified(Repository repo, String database, int limit) {
    return newestVerified(repo, database, limit, m -> !m.baseBackup());
  }

  /** As {@link #newestVerified}, for base backups only. */
  public static List<BackupManifest> newestVerifiedBase(Repository repo, String database, int limit) {
    return newestVerified(repo, database, limit, BackupManifest::baseBackup);
  }

  private static List<BackupManifest> newestVerified(Repository repo, String database, int limit,
      java.util.function.Predicate<BackupManifest> kind) {
    List<BackupManifest> out = new ArrayList<>();
    for (String id : publishedIds(repo, database)) {
      BackupManifest m;
      try {
        m = read(repo, database, id);
      } catch (LifeboatException e) {
        if (e.code() != ErrorCode.CORRUPT_BACKUP && e.code() != ErrorCode.BACKUP_NOT_FOUND) {
          throw e;
        }
        continue; // said by `backup list`; a check or drill goes on with the readable ones
      }
      if (m.verified() && kind.test(m)) {
        out.add(m);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * Ids of the backup folders that hold a manifest, newest first (ids sort by time); a folder without one is
   * a leftover, not a backup.
   */
  public static List<String> publishedIds(Repository repo, String database) {
    List<String> ids = new ArrayList<>();
    for (String key : repo.list(BackupLayout.databasePrefix(database))) {
      String id = BackupLayout.backupIdOf(database, key);
      if (id != null && key.equals(BackupLayout.manifestKey(database, id))) {
        ids.add(id);
      }
    }
    ids.sort(Comparator.reverseOrder());
    return ids;
  }

  public static byte[] toJson(BackupManifest manifest) {
    try {
      return JSON.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
