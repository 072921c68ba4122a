package lifeboat.activities.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
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
        return Manifests.read(repo, database, backup);
      }
      return Manifests.list(repo, database).stream().filter(BackupManifest::verified).findFirst()
          .orElseThrow(() -> new LifeboatException(ErrorCode.BACKUP_NOT_FOUND,
              "database " + database + " has no verified backup", "run `lifeboat backup run " + database + "`"));
    });
  }

  @Override
  public void checkTarget(RestoreRequest request) {
    Activities.guard(() -> {
      Config cfg = workspace.config();
      String engineName = cfg.database(request.database()).engine();
      DbConnection target = target(cfg, request, engineName);
      DatabaseEngine engine = workspace.engine(engineName);
      if (!request.clean() && !engine.isEmpty(target)) {
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
  public String restoreGlobals(RestoreRequest request, BackupManifest manifest) {
    // Backups do not save their globals yet: nothing to restore.
    return "no globals saved with backup " + manifest.backupId();
  }

  @Override
  public RestoreResult restoreIntoTarget(RestoreRequest request, BackupManifest manifest) {
    // CheckTarget proved the target empty before the first attempt (or the user asked for --clean), so on a
    // retry whatever the target holds came from our own interrupted attempt: restore over it.
    boolean retry = io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt() > 1;
    RestoreRequest effective = retry && !request.clean()
        ? new RestoreRequest(request.database(), request.backup(), request.target(), request.targetPasswordRef(),
            request.jobs(), true)
        : request;
    return Activities.guard(() -> restore(effective, manifest, Activities.heartbeatProgress()));
  }

  /** Repository → OpenPGP → zstd → native restore tool, streamed. Public for benchmarks and tests. */
  public RestoreResult restore(RestoreRequest request, BackupManifest manifest, Progress progress) {
    long started = System.currentTimeMillis();
    Config cfg = workspace.config();
    DatabaseEngine engine = workspace.engine(manifest.engine());
    DbConnection target = target(cfg, request, manifest.engine());
    Repository repo = workspace.repository(cfg, manifest.repository());
    try (HashingInputStream stored = new HashingInputStream(repo.read(manifest.objectKey()), progress)) {
      InputStream plain = "none".equals(manifest.encryption()) ? stored : Keys.decrypt(cfg, stored);
      try (InputStream dump = Compression.decompress(plain)) {
        String check = engine.restore(dump, target, Math.max(1, request.jobs()), request.clean());
        return new RestoreResult(manifest.backupId(), manifest.database(), target.display(), stored.count(),
            System.currentTimeMillis() - started, check);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "restore stream failed: " + e.getMessage(),
          "see the worker log", e);
    }
  }

  private DbConnection target(Config cfg, RestoreRequest request, String engine) {
    String to = request.target();
    boolean url = ConnectionStrings.isPostgresUrl(to);
    if (engine.equals("postgres") != url) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID,
          "restore target " + to + " does not suit a " + engine + " backup",
          engine.equals("postgres") ? "give --to postgresql://user@host:port/database" : "give --to a file path");
    }
    if (url) {
      if (ConnectionStrings.containsPassword(to)) {
        throw new LifeboatException(ErrorCode.TARGET_INVALID, "restore target URL must not contain a password",
            "pass the password as a reference: --to-password env:NAME");
      }
      return DbConnection.postgres(to, cfg.secrets().resolve(request.targetPasswordRef(), "--to-password"));
    }
    return DbConnection.sqlite(Path.of(to).toAbsolutePath().toString());
  }
}
