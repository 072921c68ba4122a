package lifeboat.activities.binlog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import lifeboat.workflows.runbook.Durations;

/**
 * A MariaDB database's binlog archive behind the WAL archive's steps ({@code wal start/status/stop}, `check`)
 * and the restore's point in time (docs/mariadb.md, "Point-in-time recovery").
 */
public final class Binlogs {
  private Binlogs() {}

  /** One run of the archive: see {@link BinlogStreamer}. */
  public static WalStreamResult stream(Workspace workspace, String database, Duration runFor, Runnable heartbeat) {
    Config cfg = workspace.config();
    DatabaseConfig db = cfg.database(database);
    BinlogStreamer.Outcome o = BinlogStreamer.stream(workspace.connection(cfg, database), archive(workspace, cfg,
        database, true), new BinlogStreamer.Settings(Durations.parse(db.wal().partialEveryOrDefault()), runFor,
            serverId(database), tmp()), heartbeat);
    return new WalStreamResult(o.startFile(), o.archivedFile() == null ? null
        : BinlogStatusReader.position(o.archivedFile(), o.archivedBytes()), 0, o.fullsStored(), o.partialsStored());
  }

  public static WalStatus status(Workspace workspace, Config cfg, String database) {
    DatabaseConfig db = cfg.database(database);
    return BinlogStatusReader.read(archive(workspace, cfg, database, false), database,
        workspace.connection(cfg, database), Durations.parse(db.wal().maxLagOrDefault()).toSeconds(),
        System.currentTimeMillis());
  }

  /** See {@link BinlogReplay#plan}; the database must have a binlog archive. */
  public static BinlogReplayPlan plan(Workspace workspace, RestoreRequest request) {
    Config cfg = workspace.config();
    String database = request.database();
    DatabaseConfig db = requireArchive(cfg, database);
    Instant toTime;
    try {
      toTime = Instant.parse(request.toTime());
    } catch (java.time.format.DateTimeParseException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "--to-time " + request.toTime() + " is not a moment",
          "give an ISO-8601 time with its zone, e.g. 2026-12-02T17:05:00Z");
    }
    Repository repo = workspace.repository(cfg, db.repository());
    List<BackupManifest> manifests = Manifests.list(repo, database);
    if (!RestoreRequest.LATEST.equals(request.backup()) && request.backup() != null) {
      manifests = manifests.stream().filter(m -> m.backupId().equals(request.backup())).toList();
    }
    BinlogArchive archive = archive(workspace, cfg, database, false);
    return BinlogReplay.plan(database, manifests, archive, toTime, () -> {
      WalStatus s = status(workspace, cfg, database);
      return s.lagBytes() != null && s.lagBytes() == 0;
    }, Instant.now());
  }

  /** See {@link BinlogReplay#replay}. */
  public static String replay(Workspace workspace, RestoreRequest request, BinlogReplayPlan plan, Runnable heartbeat) {
    Config cfg = workspace.config();
    String source = lifeboat.activities.engine.MariaDbUrls.parse(cfg.database(request.database()).url()).database();
    return BinlogReplay.replay(cfg, archive(workspace, cfg, request.database(), false), plan, source,
        workspace.connection(cfg, request.dbTarget()), tmp(), heartbeat);
  }

  /** A MariaDB PITR drill's canaries (see {@link MariaDbCanaries}). */
  public static lifeboat.workflows.pitr.Canaries writeCanaries(Workspace workspace, String database, String drillId,
      String table) {
    return MariaDbCanaries.write(workspace.connection(workspace.config(), database), drillId, table);
  }

  /** A MariaDB PITR drill's await-archived: until the binlog archive holds {@code position} (file:bytes). */
  public static double awaitArchived(Workspace workspace, String database, String position, Runnable heartbeat) {
    Config cfg = workspace.config();
    requireArchive(cfg, database);
    int colon = position.lastIndexOf(':');
    String file = position.substring(0, colon);
    long bytes = Long.parseLong(position.substring(colon + 1));
    BinlogArchive archive = archive(workspace, cfg, database, false);
    return lifeboat.activities.support.ArchivedWait.until(() -> {
      List<BinlogArchive.Entry> stored = archive.freshest();
      if (stored.isEmpty()) {
        return false;
      }
      BinlogArchive.Entry last = stored.get(stored.size() - 1);
      int order = BinlogNames.ORDER.compare(last.name(), file);
      return order > 0 || (order == 0 && last.bytes() >= bytes);
    }, heartbeat, database, "the binlog archive of " + database + " did not store " + position);
  }

  /**
   * Retention's binlog half: the objects of files before {@code keepFrom} (the oldest kept dump's binlog file),
   * which no kept dump replays from; oldest first, so a deletion stopped half-way leaves a contiguous archive.
   */
  public static lifeboat.workflows.model.WalPrune prune(Repository repo, String database, String keepFrom,
      boolean dryRun) {
    List<BinlogArchive.Entry> old = new BinlogArchive(repo, database, List.of(), 1).list().stream()
        .filter(e -> BinlogNames.ORDER.compare(e.name(), keepFrom) < 0).toList();
    if (!dryRun) {
      old.forEach(e -> repo.remove(e.key()));
    }
    return new lifeboat.workflows.model.WalPrune(keepFrom, old.isEmpty() ? null : old.get(0).name(),
        old.isEmpty() ? null : old.get(old.size() - 1).name(), old.size(), dryRun);
  }

  private static DatabaseConfig requireArchive(Config cfg, String database) {
    DatabaseConfig db = cfg.database(database);
    if (!"mariadb".equals(db.engine()) || db.wal() == null) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "a MariaDB restore to a moment needs a database with"
          + " a binlog archive; " + database + " is " + db.engine() + (db.wal() == null ? " without one" : ""),
          "add wal: { archive: stream } under databases." + database + " and run `lifeboat wal start " + database
              + "`; for PostgreSQL use --to-dir (a base backup and its WAL)");
    }
    return db;
  }

  private static BinlogArchive archive(Workspace workspace, Config cfg, String database, boolean writing) {
    DatabaseConfig db = cfg.database(database);
    return new BinlogArchive(workspace.repository(cfg, db.repository()), database,
        writing && !db.unencrypted() ? Keys.recipients(cfg) : List.of(), db.zstdLevel());
  }

  /**
   * The replica server id mariadb-binlog announces: stable per database (a second archiver of it replaces the
   * first, as a replica reconnecting does), in a range real servers rarely use (above 2^31).
   */
  static long serverId(String database) {
    return (1L << 31) + (database.hashCode() & 0x7fffffffL) % 1_000_000_000L;
  }

  private static Path tmp() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
