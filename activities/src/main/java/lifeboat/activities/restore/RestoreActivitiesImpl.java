package lifeboat.activities.restore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.RestoreOptions;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.HashingInputStream;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.RestoreActivities;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.DbTarget;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;

public class RestoreActivitiesImpl implements RestoreActivities {
  private final Workspace workspace;

  public RestoreActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public BackupManifest resolveBackup(String database, String backup) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, cfg.database(database).repository());
      if (!RestoreRequest.LATEST.equals(backup)) {
        BackupManifest named = Manifests.read(repo, database, backup);
        if (named.baseBackup()) {
          throw new LifeboatException(ErrorCode.TARGET_INVALID, "backup " + backup + " is a base backup of the"
              + " whole cluster, not a dump to restore into a database", "restore it into a new cluster: `lifeboat"
              + " restore " + database + " --to-dir DIR --port P` with --to-time, --to-lsn or --immediate");
        }
        return named;
      }
      // The newest readable verified one: an unreadable newer manifest is passed over (backup list shows it).
      return Manifests.newestVerified(repo, database, 1).stream().findFirst()
          .orElseThrow(() -> new LifeboatException(ErrorCode.BACKUP_NOT_FOUND,
              "database " + database + " has no verified backup", "run `lifeboat backup run " + database + "`"));
    });
  }

  @Override
  public void checkTarget(RestoreRequest request) {
    Activities.guard(() -> {
      Config cfg = workspace.config();
      String engineName = cfg.database(request.database()).engine();
      RestoreOptions options = RestoreOptions.of(request);
      options.validate(engineName);
      DbConnection target = target(cfg, request);
      DatabaseEngine engine = workspace.engine(engineName);
      if (request.clean() || options.dataOnly()) {
        return; // clean: the user asked to restore over what is there; data only: it needs the schema there
      }
      if (!options.tables().isEmpty()) {
        // A side database may hold other tables: only the named ones must not be there yet.
        List<String> existing = engine.existingTables(target, options.tables());
        if (!existing.isEmpty()) {
          throw new LifeboatException(ErrorCode.TARGET_NOT_EMPTY,
              "restore target " + target.display() + " already has " + String.join(", ", existing),
              "restore into a side database without those tables, or pass --clean to replace them");
        }
        return;
      }
      if (!engine.isEmpty(target)) {
        throw new LifeboatException(ErrorCode.TARGET_NOT_EMPTY,
            "restore target " + target.display() + " is not empty",
            "restore into an empty database, or pass --clean to drop the objects the backup contains first");
      }
    });
  }

  @Override
  public void verifyChecksum(BackupManifest manifest) {
    Activities.guard(() -> {
      Config cfg = workspace.config();
      Verification.checksum(workspace.repository(cfg, manifest.repository()), manifest,
          Activities.heartbeatProgress());
    });
  }

  @Override
  public String checkDecryptionKey(BackupManifest manifest) {
    return Activities.guard(() -> {
      if ("none".equals(manifest.encryption())) {
        return "not encrypted: no key needed";
      }
      Config cfg = workspace.config();
      try (InputStream stored = workspace.repository(cfg, manifest.repository()).read(manifest.objectKey())) {
        return Keys.checkKey(cfg, stored);
      } catch (IOException e) {
        // Only closing can fail here (Keys reports read failures itself): a storage hiccup, retried.
        throw new LifeboatException(ErrorCode.STORAGE_FAILED, "cannot close the stored object: " + e.getMessage(),
            "check the repository and retry");
      }
    });
  }

  @Override
  public String restoreGlobals(RestoreRequest request, BackupManifest manifest) {
    return Activities.guard(() -> globals(request, manifest));
  }

  /**
   * Checksum first, then decrypt → decompress → psql on the target's server. Public for tests. Idempotent: a
   * retry finds the roles the first attempt created and leaves them as they are.
   */
  public String globals(RestoreRequest request, BackupManifest manifest) {
    if (!request.globals()) {
      return "globals not requested";
    }
    if (manifest.globals() == null) {
      return "backup " + manifest.backupId() + " has no saved globals (" + manifest.engine()
          + ("postgres".equals(manifest.engine()) ? ", made before globals were saved)" : " has none)");
    }
    Config cfg = workspace.config();
    Repository repo = workspace.repository(cfg, manifest.repository());
    Verification.globalsChecksum(repo, manifest);
    DbConnection target = target(cfg, request);
    try (InputStream stored = repo.read(manifest.globals().objectKey());
         InputStream sql = Compression.decompress(
             "none".equals(manifest.encryption()) ? stored : Keys.decrypt(cfg, stored))) {
      String done = workspace.engine(manifest.engine()).applyGlobals(sql, target);
      return manifest.globals().withoutPasswords() ? done + " (saved without role passwords: set them by hand)"
          : done;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot read the saved globals: " + e.getMessage(),
          "check the repository and retry", e);
    }
  }

  @Override
  public RestoreResult restoreIntoTarget(RestoreRequest request, BackupManifest manifest) {
    // CheckTarget proved the target empty before the first attempt (or the user asked for --clean), so on a
    // retry whatever the target holds came from our own interrupted attempt: restore over it. A data-only
    // restore runs in one transaction instead (pg_restore cannot clean data), so it left nothing to clean.
    boolean retry = io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt() > 1;
    RestoreRequest effective = retry && !request.clean() && !request.dataOnly() ? request.withClean(true) : request;
    return Activities.guard(() -> restore(effective, manifest, Activities.heartbeatProgress()));
  }

  /** Repository → OpenPGP → zstd → native restore tool, streamed. Public for benchmarks and tests. */
  public RestoreResult restore(RestoreRequest request, BackupManifest manifest, Progress progress) {
    long started = System.currentTimeMillis();
    Config cfg = workspace.config();
    DatabaseEngine engine = workspace.engine(manifest.engine());
    RestoreOptions options = RestoreOptions.of(request);
    options.validate(manifest.engine());
    DbConnection target = target(cfg, request);
    Repository repo = workspace.repository(cfg, manifest.repository());
    try (HashingInputStream stored = new HashingInputStream(repo.read(manifest.objectKey()), progress)) {
      InputStream plain = "none".equals(manifest.encryption()) ? stored : Keys.decrypt(cfg, stored);
      try (InputStream dump = Compression.decompress(plain)) {
        String check = engine.restore(dump, target, options);
        return new RestoreResult(manifest.backupId(), manifest.database(), target.display(), stored.count(),
            System.currentTimeMillis() - started, check);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "restore stream failed: " + e.getMessage(),
          "see the worker log", e);
    }
  }

  @Override
  public BinlogReplayPlan planBinlogReplay(RestoreRequest request) {
    return Activities.guard(() -> lifeboat.activities.binlog.Binlogs.plan(workspace, request));
  }

  @Override
  public String replayBinlog(RestoreRequest request, BinlogReplayPlan plan) {
    var context = io.temporal.activity.Activity.getExecutionContext();
    return Activities.guard(() -> {
      if (context.getInfo().getAttempt() > 1) {
        // Binlog events are not idempotent: an attempt that died may have applied some, and applying them twice
        // would leave rows no moment of the source ever had.
        throw new LifeboatException(ErrorCode.REPLAY_INTERRUPTED, "an earlier attempt of the binlog replay into "
            + request.target() + " ended half-way; replaying again could apply its events twice",
            "the restore workflow restores the dump afresh (--clean) and replays once; run by hand, restore again"
                + " with --clean");
      }
      return replayBinlog(request, plan, () -> context.heartbeat(null));
    });
  }

  /** The replay with its heartbeat passed in: public for tests, which run outside an activity. */
  public String replayBinlog(RestoreRequest request, BinlogReplayPlan plan, Runnable heartbeat) {
    return lifeboat.activities.binlog.Binlogs.replay(workspace, request, plan, heartbeat);
  }

  /** The request's target; none means the configured database itself (a pre-migration rollback). */
  /** The restore's target: the configured database itself, or --to (the CLI made a relative path absolute). */
  private DbConnection target(Config cfg, RestoreRequest request) {
    return workspace.connection(cfg, new DbTarget(request.database(), request.target(), request.targetPasswordRef()));
  }

}
