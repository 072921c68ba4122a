package lifeboat.activities.wal;

import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ListenAddress;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.config.LifeboatConfig.WalConfig;
import lifeboat.activities.config.Sizes;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.FailoverEndpoint;

public class WalActivitiesImpl implements WalActivities {
  private final Workspace workspace;

  public WalActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public WalStreamResult streamWal(String database, long runForMillis) {
    var context = Activity.getExecutionContext();
    return Activities.guard(() -> stream(database, Duration.ofMillis(runForMillis), () -> context.heartbeat(null)));
  }

  /**
   * The step's body with its heartbeat passed in: public for tests, which run outside an activity. With
   * {@code archive: command} it receives the WAL PostgreSQL pushes (WalReceiver), else it streams it from the slot.
   */
  public WalStreamResult stream(String database, Duration runFor, Runnable heartbeat) {
    Config cfg = workspace.config();
    WalConfig wal = walOf(cfg, database);
    if (isMariaDb(cfg, database)) {
      return lifeboat.activities.binlog.Binlogs.stream(workspace, database, runFor, heartbeat);
    }
    WalStreamer.Outcome o = wal.command()
        ? WalReceiver.receive(FollowedPrimary.connection(workspace, cfg, database), archive(cfg, database, true),
            database, new WalReceiver.Settings(ListenAddress.parse(wal.listen()),
                cfg.secrets().resolve(wal.token(), "databases." + database + ".wal.token"), runFor), heartbeat)
        : WalStreamer.stream(FollowedPrimary.connection(workspace, cfg, database), archive(cfg, database, true),
            database, new WalStreamer.Settings(wal.slotFor(database), Durations.parse(wal.partialEveryOrDefault()),
                runFor, wal.standbysOrNone().stream().map(s -> DbConnection.postgres(s.url(), cfg.secrets()
                    .resolve(s.password(), "databases." + database + ".wal.standbys.password"))).toList()),
            heartbeat);
    return new WalStreamResult(WalNames.lsn(o.startLsn()), WalNames.lsn(o.archivedLsn()), o.timeline(),
        o.segmentsStored(), o.partialsStored());
  }

  @Override
  public WalStatus readWalStatus(String database) {
    return Activities.guard(() -> status(workspace.config(), database));
  }

  /** The status `wal status` and `check` show; sets the WAL gauges of the worker's metrics on the way. */
  public WalStatus status(Config cfg, String database) {
    WalConfig wal = walOf(cfg, database);
    if (isMariaDb(cfg, database)) {
      WalStatus binlog = lifeboat.activities.binlog.Binlogs.status(workspace, cfg, database);
      workspace.metrics().walStatus(binlog);
      return binlog;
    }
    WalStatus status = WalStatusReader.read(archive(cfg, database, false), database,
        wal.command() ? null : wal.slotFor(database),
        FollowedPrimary.connection(workspace, cfg, database), Durations.parse(wal.maxLagOrDefault()).toSeconds(),
        Sizes.parse(wal.maxSlotRetainedOrDefault()), System.currentTimeMillis());
    workspace.metrics().walStatus(status);
    return status;
  }

  @Override
  public String followNewPrimary(String database, FailoverEndpoint newPrimary, String reason) {
    return Activities.guard(() -> follow(database, newPrimary, reason));
  }

  public String follow(String database, FailoverEndpoint newPrimary, String reason) {
    Config cfg = workspace.config();
    DatabaseConfig db = cfg.database(database);
    if (db.wal() == null) {
      return "database " + database + " has no WAL archive: nothing to follow";
    }
    new FollowedPrimary(newPrimary.url(), newPrimary.password(), java.time.Instant.now().toString(), reason)
        .write(workspace.repository(cfg, db.repository()), database);
    return "the WAL archive, base backups and restore points of " + database + " now go to " + newPrimary.url()
        + " (" + FollowedPrimary.key(database) + "); the archive streams on from its new timeline";
  }

  /** The database's archive; {@code writing}: with the public keys it seals to (not needed to list). */
  private WalArchive archive(Config cfg, String database, boolean writing) {
    DatabaseConfig db = cfg.database(database);
    return new WalArchive(workspace.repository(cfg, db.repository()), database,
        writing && !db.unencrypted() ? Keys.recipients(cfg) : List.of(), db.zstdLevel());
  }

  /** A MariaDB database's "WAL archive" is its binary log (lifeboat.activities.binlog). */
  private static boolean isMariaDb(Config cfg, String database) {
    return "mariadb".equals(cfg.database(database).engine());
  }

  static WalConfig walOf(Config cfg, String database) {
    WalConfig wal = cfg.database(database).wal();
    if (wal == null) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "database " + database + " has no WAL archive",
          "add wal: { archive: stream } under databases." + database + " in lifeboat.yaml (docs/pitr.md)");
    }
    return wal;
  }
}
