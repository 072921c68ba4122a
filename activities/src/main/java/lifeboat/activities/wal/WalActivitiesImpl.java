package lifeboat.activities.wal;

import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ListenAddress;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.config.LifeboatConfig.WalConfig;
import lifeboat.activities.config.Sizes;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.WalActivities;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import lifeboat.workflows.runbook.Durations;

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
    WalStreamer.Outcome o = wal.command()
        ? WalReceiver.receive(workspace.connection(cfg, database), archive(cfg, database, true), database,
            new WalReceiver.Settings(ListenAddress.parse(wal.listen()),
                cfg.secrets().resolve(wal.token(), "databases." + database + ".wal.token"), runFor), heartbeat)
        : WalStreamer.stream(workspace.connection(cfg, database), archive(cfg, database, true), database,
            new WalStreamer.Settings(wal.slotFor(database), Durations.parse(wal.partialEveryOrDefault()), runFor),
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
    WalStatus status = WalStatusReader.read(archive(cfg, database, false), database,
        wal.command() ? null : wal.slotFor(database),
        workspace.connection(cfg, database), Durations.parse(wal.maxLagOrDefault()).toSeconds(),
        Sizes.parse(wal.maxSlotRetainedOrDefault()), System.currentTimeMillis());
    workspace.metrics().walStatus(status);
    return status;
  }

  /** The database's archive; {@code writing}: with the public keys it seals to (not needed to list). */
  private WalArchive archive(Config cfg, String database, boolean writing) {
    DatabaseConfig db = cfg.database(database);
    return new WalArchive(workspace.repository(cfg, db.repository()), database,
        writing && !db.unencrypted() ? Keys.recipients(cfg) : List.of(), db.zstdLevel());
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
