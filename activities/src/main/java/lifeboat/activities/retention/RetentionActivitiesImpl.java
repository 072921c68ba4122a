package lifeboat.activities.retention;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import lifeboat.activities.config.Config;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.RetentionActivities;
import lifeboat.workflows.model.BackupCatalog;
import lifeboat.workflows.model.BackupListing;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RetentionDecision;

/**
 * Retention's reads and deletions. The record of what the last run kept, {@code retention/<database>.json} in the
 * database's repository, is how a truncated listing is told from a real one: only retention deletes backups,
 * and it writes the record before it deletes, so every backup in the record must still be listed.
 */
public class RetentionActivitiesImpl implements RetentionActivities {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int NAMED_MISSING = 5;

  private final Workspace workspace;
  private final BiFunction<Config, String, Repository> repositories;

  public RetentionActivitiesImpl(Workspace workspace) {
    this(workspace, workspace::repository);
  }

  /** With another way to open repositories: tests wrap one that fails or refuses on purpose. */
  public RetentionActivitiesImpl(Workspace workspace, BiFunction<Config, String, Repository> repositories) {
    this.workspace = workspace;
    this.repositories = repositories;
  }

  /** What {@code retention/<database>.json} holds. */
  record KeptRecord(String database, String recordedAt, List<String> kept) {}

  public static String recordKey(String database) {
    return "retention/" + database + ".json";
  }

  private Repository repository(String database) {
    Config cfg = workspace.config();
    return repositories.apply(cfg, cfg.database(database).repository());
  }

  @Override
  public lifeboat.workflows.model.WalPrune pruneWal(String database, String keepFromSegment, boolean dryRun) {
    return Activities.guard(() -> "mariadb".equals(workspace.config().database(database).engine())
        ? lifeboat.activities.binlog.Binlogs.prune(repository(database), database, keepFromSegment, dryRun)
        : WalRetention.prune(repository(database), database, keepFromSegment, dryRun));
  }

  @Override
  public BackupListing listForRetention(String database) {
    return Activities.guard(() -> {
      Repository repo = repository(database);
      // An unreadable manifest is a problem of the listing: retention deletes nothing until it is resolved.
      BackupCatalog catalog = Manifests.catalog(repo, database);
      List<BackupManifest> backups = new ArrayList<>(catalog.backups());
      List<String> problems = new ArrayList<>();
      catalog.unreadable().forEach(u -> problems.add(u.problem()));
      backups.sort(Comparator.comparing(BackupManifest::backupId).reversed());
      problems.addAll(missingSinceLastRun(repo, database, backups));
      return new BackupListing(backups, problems);
    });
  }

  private static List<String> missingSinceLastRun(Repository repo, String database, List<BackupManifest> listed) {
    String key = recordKey(database);
    if (!repo.exists(key)) {
      return List.of();
    }
    KeptRecord previous;
    try (InputStream in = repo.read(key)) {
      previous = JSON.readValue(in, KeptRecord.class);
    } catch (IOException e) {
      return List.of("the record of the previous run, " + key + ", is unreadable (" + e.getMessage()
          + "); delete it to accept the listing as it is");
    }
    Set<String> ids = new LinkedHashSet<>();
    listed.forEach(m -> ids.add(m.backupId()));
    List<String> missing = previous.kept() == null ? List.of()
        : previous.kept().stream().filter(id -> !ids.contains(id)).toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    return List.of(missing.size() + " of the " + previous.kept().size() + " backups the previous run kept ("
        + previous.recordedAt() + ") are not listed: "
        + String.join(", ", missing.subList(0, Math.min(NAMED_MISSING, missing.size())))
        + (missing.size() > NAMED_MISSING ? ", ..." : "")
        + "; if they were deleted on purpose, delete " + key + " to accept the listing");
  }

  @Override
  public void recordRetention(String database, List<String> keptBackupIds) {
    Activities.guard(() -> {
      Repository repo = repository(database);
      try (Repository.PendingWrite out = repo.write(recordKey(database))) {
        out.write(JSON.writeValueAsBytes(new KeptRecord(database, Instant.now().toString(), keptBackupIds)));
        out.commit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public String deleteBackup(BackupManifest manifest) {
    return Activities.guard(() -> {
      String database = manifest.database();
      String id = manifest.backupId();
      Repository repo = repository(database);
      String manifestKey = BackupLayout.manifestKey(database, id);
      boolean listed = repo.exists(manifestKey);
      // Asked before anything is removed: on a versioned bucket, deleting a locked object "succeeds" by
      // hiding it behind a delete marker, so a refused remove cannot be relied on to tell.
      for (String key : repo.list(BackupLayout.backupPrefix(database, id))) {
        java.util.Optional<java.time.Instant> until = repo.lockedUntil(key);
        if (until.isPresent() && until.get().isAfter(java.time.Instant.now())) {
          return RetentionDecision.SKIPPED_PREFIX + "locked until " + until.get() + " (" + key + ")";
        }
      }
      // Manifest first: the backup leaves listings (and restore's "latest") before any of its data goes.
      try {
        repo.remove(manifestKey);
      } catch (LifeboatException e) {
        if (e.code() == ErrorCode.OBJECT_LOCKED) {
          return RetentionDecision.SKIPPED_PREFIX + "locked (" + e.getMessage() + ")";
        }
        throw e;
      }
      List<String> data = repo.list(BackupLayout.backupPrefix(database, id));
      if (!listed && data.isEmpty()) {
        return RetentionDecision.ALREADY_GONE;
      }
      for (String key : data) {
        try {
          repo.remove(key);
        } catch (LifeboatException e) {
          if (e.code() != ErrorCode.OBJECT_LOCKED) {
            throw e;
          }
          // The data stays whatever we do: list the backup again, so it stays restorable and visible.
          Manifests.write(repo, manifest);
          return RetentionDecision.SKIPPED_PREFIX + "locked, manifest put back (" + e.getMessage() + ")";
        }
      }
      return RetentionDecision.DELETED;
    });
  }
}
