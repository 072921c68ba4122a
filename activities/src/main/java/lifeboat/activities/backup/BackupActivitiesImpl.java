package lifeboat.activities.backup;

import java.time.Instant;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.base.BaseBackups;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.engine.PostgresEngine;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Dump;
import lifeboat.activities.engine.GlobalsDump;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Heartbeats;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.BackupActivities;
import lifeboat.workflows.model.BackupHeartbeat;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BackupPlan;
import lifeboat.workflows.model.DumpSnapshot;
import lifeboat.workflows.model.SavedGlobals;

public class BackupActivitiesImpl implements BackupActivities {
  private final Workspace workspace;

  public BackupActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public BackupPlan prepareBackup(String database) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      DatabaseConfig db = cfg.database(database);
      workspace.engine(db.engine());
      if (!db.unencrypted()) {
        Keys.recipients(cfg); // a missing or broken public key fails here, before any dump starts
      }
      DbConnection conn = workspace.connection(cfg, database);
      workspace.engine(db.engine()).serverVersion(conn); // bad URL or password: fail fast, no retries
      Leftovers.sweep(workspace.repository(cfg, db.repository()), database);
      return new BackupPlan(database, db.engine(), db.repository(), !db.unencrypted(), Keys.canDecrypt(cfg));
    });
  }

  @Override
  public BackupManifest dumpToRepository(String database, String backupId, String schemaVersion) {
    return Activities.guard(() -> dump(database, backupId, schemaVersion, Activities.heartbeatProgress()));
  }

  /** Dump → zstd → OpenPGP → repository, one stream, nothing staged. Public for benchmarks and tests. */
  public BackupManifest dump(String database, String backupId, String schemaVersionOverride, Progress progress) {
    Config cfg = workspace.config();
    DatabaseConfig db = cfg.database(database);
    DatabaseEngine engine = workspace.engine(db.engine());
    DbConnection conn = workspace.connection(cfg, database);
    Repository repo = workspace.repository(cfg, db.repository());
    boolean encrypted = !db.unencrypted();
    List<RecipientKey> recipients = encrypted ? Keys.recipients(cfg) : List.of();
    String serverVersion = engine.serverVersion(conn);
    String schemaVersion = schemaVersionOverride != null ? schemaVersionOverride
        : engine.schemaVersion(conn, db.schemaVersionQuery());
    String key = BackupLayout.objectKey(database, backupId, encrypted);
    String startedAt = Instant.now().toString();
    StoredObject data;
    DumpSnapshot snapshot;
    try (Dump dump = engine.startDump(conn, db.allowsNonTransactional())) {
      data = StoredObject.store(dump, repo, key, recipients, db.zstdLevel(), progress, database);
      snapshot = dump.snapshot();
    }
    SavedGlobals globals = saveGlobals(engine, conn, repo, database, backupId, recipients, db.zstdLevel(), progress);
    return new BackupManifest(BackupManifest.FORMAT_VERSION, backupId, database, engine.name(), serverVersion,
        schemaVersion, db.repository(), key, repo.locate(key), startedAt, Instant.now().toString(), data.rawBytes(),
        data.storedBytes(), data.sha256(), Compression.describe(db.zstdLevel()),
        encrypted ? "openpgp-aes256" : "none", recipients.stream().map(RecipientKey::fingerprint).toList(),
        false, "not verified", globals, null, snapshot);
  }

  @Override
  public BackupManifest baseBackupToRepository(String database, String backupId) {
    return Activities.guard(() -> baseBackup(database, backupId, Activities.heartbeatProgress()));
  }

  /**
   * pg_basebackup → zstd → OpenPGP → repository, checked against PostgreSQL's backup_manifest as it streams.
   * Public for benchmarks and tests.
   */
  public BackupManifest baseBackup(String database, String backupId, Progress progress) {
    Config cfg = workspace.config();
    DatabaseConfig db = cfg.database(database);
    if (!db.engine().equals("postgres")) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "base backups are for PostgreSQL; " + database + " is "
          + db.engine(), "run `lifeboat backup run " + database + "` (a logical backup)");
    }
    PostgresEngine engine = (PostgresEngine) workspace.engine(db.engine());
    // after a failover, the new primary (its WAL archive follows it, and the backup must be of that timeline)
    DbConnection conn = lifeboat.activities.wal.FollowedPrimary.connection(workspace, cfg, database);
    Repository repo = workspace.repository(cfg, db.repository());
    boolean encrypted = !db.unencrypted();
    List<RecipientKey> recipients = encrypted ? Keys.recipients(cfg) : List.of();
    String serverVersion = engine.serverVersion(conn);
    String schemaVersion = engine.schemaVersion(conn, db.schemaVersionQuery());
    String key = BackupLayout.baseKey(database, backupId, encrypted);
    String startedAt = Instant.now().toString();
    boolean walIncluded = db.wal() == null; // no archive to take its WAL from: it goes inside
    BaseBackups.Stored stored;
    try (Dump dump = engine.startBaseBackup(conn, "lifeboat " + backupId, walIncluded)) {
      stored = BaseBackups.store(dump, repo, key, recipients, db.zstdLevel(), progress, walIncluded, database);
    }
    return new BackupManifest(BackupManifest.FORMAT_VERSION, backupId, database, engine.name(), serverVersion,
        schemaVersion, db.repository(), key, repo.locate(key), startedAt, Instant.now().toString(),
        stored.object().rawBytes(), stored.object().storedBytes(), stored.object().storedSha256(),
        Compression.describe(db.zstdLevel()), encrypted ? "openpgp-aes256" : "none",
        recipients.stream().map(RecipientKey::fingerprint).toList(), false, "not verified", null, stored.info());
  }

  /**
   * The server's roles and tablespaces beside the data (PostgreSQL), through the same pipeline: a fresh
   * cluster lacks them, and the data's owners and grants name them. Null for engines without globals.
   */
  private static SavedGlobals saveGlobals(DatabaseEngine engine, DbConnection conn, Repository repo,
      String database, String backupId, List<RecipientKey> recipients, int zstdLevel, Progress progress) {
    try (GlobalsDump globals = engine.startGlobalsDump(conn)) {
      if (globals == null) {
        return null;
      }
      String key = BackupLayout.globalsKey(database, backupId, !recipients.isEmpty());
      StoredObject stored = StoredObject.store(globals.dump(), repo, key, recipients, zstdLevel, progress, database);
      return new SavedGlobals(key, stored.rawBytes(), stored.storedBytes(), stored.sha256(), globals.source());
    }
  }

  @Override
  public BackupManifest verifyBackup(BackupManifest manifest) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, manifest.repository());
      String result = Verification.verify(cfg, repo, manifest, workspace.engine(manifest.engine()),
          Activities.heartbeatProgress());
      return manifest.withVerification(true, result);
    });
  }

  @Override
  public void publishManifest(BackupManifest manifest) {
    Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, manifest.repository());
      Manifests.write(repo, manifest);
      // After the manifest: a heartbeat never names a backup that does not exist. A retry rewrites both.
      // A late retry of an older backup never moves the heartbeat back.
      Instant now = Instant.now();
      BackupHeartbeat current = Heartbeats.read(repo, manifest.database());
      if (current == null || current.backupId().compareTo(manifest.backupId()) <= 0) {
        Heartbeats.write(repo, new BackupHeartbeat(manifest.database(), manifest.backupId(), now.toString(),
            manifest.startedAt(), manifest.rawBytes(), manifest.storedBytes()));
      }
      workspace.metrics().backupPublished(manifest, now);
    });
  }

  @Override
  public void discardBackup(String database, String backupId) {
    Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, cfg.database(database).repository());
      // Manifest first: the backup leaves listings before its data goes.
      repo.remove(BackupLayout.manifestKey(database, backupId));
      for (String key : repo.list(BackupLayout.backupPrefix(database, backupId))) {
        repo.remove(key);
      }
      repo.remove(BackupLayout.objectKey(database, backupId, true));
      repo.remove(BackupLayout.objectKey(database, backupId, false));
      repo.remove(BackupLayout.globalsKey(database, backupId, true));
      repo.remove(BackupLayout.globalsKey(database, backupId, false));
      repo.remove(BackupLayout.baseKey(database, backupId, true));
      repo.remove(BackupLayout.baseKey(database, backupId, false));
    });
  }

}
