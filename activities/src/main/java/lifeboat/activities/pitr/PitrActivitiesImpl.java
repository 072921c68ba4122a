package lifeboat.activities.pitr;

import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lifeboat.activities.config.Config;
import lifeboat.activities.drill.PitrDrillTargets;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.postgres.ServerPrograms;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.HostQueue;
import lifeboat.activities.support.Keys;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.wal.ArchiveState;
import lifeboat.activities.wal.FollowedPrimary;
import lifeboat.activities.wal.WalArchive;
import lifeboat.activities.drill.SmokeChecks;
import lifeboat.activities.engine.DbConnection;
import lifeboat.workflows.activities.PitrActivities;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.pitr.Canaries;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.RecoveryOutcome;
import lifeboat.workflows.pitr.RecoveryPlan;

public class PitrActivitiesImpl implements PitrActivities {
  /** Segments fetched at once: the repository's latency, not the bandwidth, is what a serial fetch waits on. */
  static final int FETCH_THREADS = 4;

  private final Workspace workspace;

  public PitrActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public RecoveryPlan planRecovery(PitrRequest request) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      return RecoveryPlanner.plan(cfg, repository(cfg, request.database()), request, HostQueue.name());
    });
  }

  @Override
  public long restoreBaseBackup(RecoveryPlan plan) {
    Progress progress = Activities.heartbeatProgress();
    var info = Activity.getExecutionContext().getInfo();
    return Activities.guard(() -> unpack(plan, progress, info.getWorkflowId(), info.getNamespace()));
  }

  /**
   * OpenPGP → zstd → tar -x into DIR (as the server's OS user), one stream. A drill's cluster is recorded as its
   * drill target first ({@code workflowId} owns it). Public for tests.
   */
  public long unpack(RecoveryPlan plan, Progress progress, String workflowId, String namespace) {
    Config cfg = workspace.config();
    Repository repo = repository(cfg, plan.database());
    Path dir = Path.of(plan.dir());
    if (plan.throwaway()) {
      PitrDrillTargets.opened(repo, plan, workflowId, namespace);
    }
    try {
      LocalCluster.deleteTree(dir); // a retry starts over: an earlier attempt may have unpacked half
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ServerPrograms.handOver(dir);
      try (InputStream stored = repo.read(plan.backupObject());
           InputStream tar = Compression.decompress(plan.encrypted() ? Keys.decrypt(cfg, stored) : stored)) {
        return Untar.into(tar, dir, progress);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "unpacking base backup " + plan.backupId() + " into "
          + dir + " failed: " + e.getMessage(), "check the space and permissions of " + dir.getParent());
    }
  }

  @Override
  public int fetchWal(RecoveryPlan plan) {
    var context = Activity.getExecutionContext();
    return Activities.guard(() -> fetch(plan, () -> context.heartbeat(null)));
  }

  /** Fetches the plan's WAL into DIR's staging folder, {@link #FETCH_THREADS} at once. Public for tests. */
  public int fetch(RecoveryPlan plan, Runnable heartbeat) {
    Config cfg = workspace.config();
    Repository repo = repository(cfg, plan.database());
    ArchiveState state = ArchiveState.read(repo, plan.database());
    long segmentSize = state == null ? 16L << 20 : state.segmentSize();
    WalArchive archive = new WalArchive(repo, plan.database(), List.of(), 1);
    Path staging = Path.of(plan.dir()).resolve(RecoveryPlanner.STAGING);
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot make " + staging + ": " + e.getMessage(), "retried");
    }
    ExecutorService pool = Executors.newFixedThreadPool(FETCH_THREADS, r -> {
      Thread t = new Thread(r, "lifeboat-wal-fetch");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> fetches = new ArrayList<>();
      for (String key : plan.walKeys()) {
        WalArchive.Entry planned = WalArchive.Entry.of(key);
        WalArchive.Entry entry = planned.partialOf() == null ? planned
            : archive.freshest(planned.partialOf()).orElseThrow(() -> new LifeboatException(
                ErrorCode.RECOVERY_TARGET_UNREACHABLE, "WAL segment " + planned.partialOf() + " of "
                + plan.database() + " left the archive after the restore was planned", "restore again"));
        // A partial segment is padded to a whole one: recovery replays it up to where the stream had got.
        String file = entry.partialOf() != null ? entry.partialOf() : entry.name();
        long padTo = entry.partialOf() != null ? segmentSize : 0;
        fetches.add(pool.submit(() -> archive.readTo(cfg, entry, staging.resolve(file), padTo)));
      }
      for (Future<?> f : fetches) {
        while (true) {
          try {
            f.get(2, TimeUnit.SECONDS);
            break;
          } catch (TimeoutException stillRunning) {
            heartbeat.run();
          }
        }
      }
      return fetches.size();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.IO_FAILED, "fetching WAL was interrupted", "retried");
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public RecoveryOutcome recoverToTarget(RecoveryPlan plan) {
    var context = Activity.getExecutionContext();
    return Activities.guard(() -> recover(plan, () -> context.heartbeat(null)));
  }

  /** Public for tests. */
  public RecoveryOutcome recover(RecoveryPlan plan, Runnable heartbeat) {
    Config cfg = workspace.config();
    return Recovery.run(plan, workspace.connection(cfg, plan.database()), heartbeat);
  }

  @Override
  public String discardRecoveryTarget(RecoveryPlan plan) {
    return Activities.guard(() -> discard(plan));
  }

  public String discard(RecoveryPlan plan) {
    Path dir = Path.of(plan.dir());
    if (!Files.exists(dir)) {
      if (plan.throwaway()) {
        PitrDrillTargets.closed(repository(workspace.config(), plan.database()), plan);
      }
      return "nothing to remove: " + dir + " is not there";
    }
    LocalCluster cluster = new LocalCluster(dir, ErrorCode.RESTORE_FAILED);
    boolean wasRunning = cluster.isRunning(() -> { });
    if (wasRunning && !cluster.stop("immediate", () -> { }).ok() && cluster.isRunning(() -> { })) {
      throw new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot stop the server recovering in " + dir,
          "stop it by hand: pg_ctl -D " + dir + " stop -m immediate; then empty " + dir);
    }
    if (plan.throwaway()) {
      LocalCluster.deleteTree(dir);
      PitrDrillTargets.closed(repository(workspace.config(), plan.database()), plan);
      return (wasRunning ? "stopped the server and removed " : "removed ") + dir;
    }
    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        LocalCluster.deleteTree(p);
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot empty " + dir + ": " + e.getMessage(), "retried");
    }
    return (wasRunning ? "stopped the server and emptied " : "emptied ") + dir;
  }

  @Override
  public Canaries writeCanaries(String database, String drillId, String table) {
    return Activities.guard(() -> isMariaDb(database)
        ? lifeboat.activities.binlog.Binlogs.writeCanaries(workspace, database, drillId, table)
        : CanaryRows.write(FollowedPrimary.connection(workspace, workspace.config(), database), drillId, table));
  }

  @Override
  public double awaitArchived(String database, String lsn) {
    var context = Activity.getExecutionContext();
    return Activities.guard(() -> awaitArchived(database, lsn, () -> context.heartbeat(null)));
  }

  /** Polls the archive's state until it has stored through {@code lsn}, for up to ten minutes. Public for tests. */
  public double awaitArchived(String database, String lsn, Runnable heartbeat) {
    Config cfg = workspace.config();
    if (isMariaDb(database)) {
      return lifeboat.activities.binlog.Binlogs.awaitArchived(workspace, database, lsn, heartbeat);
    }
    if (cfg.database(database).wal() == null) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "database " + database + " has no WAL archive: a PITR"
          + " drill restores through one", "add wal: { archive: stream } under databases." + database
          + " and run `lifeboat wal start " + database + "` (docs/pitr.md)");
    }
    Repository repo = repository(cfg, database);
    long want = lifeboat.activities.wal.WalNames.parseLsn(lsn);
    return lifeboat.activities.support.ArchivedWait.until(() -> {
      ArchiveState state = ArchiveState.read(repo, database);
      return state != null && state.archivedLsn() >= want;
    }, heartbeat, database, "the WAL archive of " + database + " did not store " + lsn);
  }

  @Override
  public List<SmokeResult> checkRecovered(RecoveryPlan plan, Canaries canaries, List<SmokeCheck> smoke) {
    var context = Activity.getExecutionContext();
    return Activities.guard(() -> {
      DbConnection recovered = Recovery.onPort(workspace.connection(workspace.config(), plan.database()),
          plan.port());
      List<SmokeResult> results = new ArrayList<>(CanaryRows.check(recovered, canaries));
      results.addAll(SmokeChecks.run(recovered, smoke == null ? List.of() : smoke, () -> context.heartbeat(null)));
      return results;
    });
  }

  @Override
  public String markRestorePoint(String database, String name) {
    return Activities.guard(() -> {
      if (workspace.config().database(database).wal() == null) {
        return null;
      }
      if (isMariaDb(database)) {
        // MariaDB has no named restore points: the moment itself is what `restore --to-time` takes.
        java.time.Instant now = java.time.Instant.now();
        return "the moment before the migration, " + now + ": lifeboat restore " + database
            + " --to URL --to-time " + now + " (MariaDB has no named restore points; binlog to the second)";
      }
      return createPoint(database, name);
    });
  }

  @Override
  public String createRestorePoint(String database, String name) {
    return Activities.guard(() -> {
      if (isMariaDb(database)) {
        throw new LifeboatException(ErrorCode.CONFIG_INVALID, "named restore points are PostgreSQL's; " + database
            + " is a MariaDB database", "note the moment instead and restore to it: lifeboat restore " + database
                + " --to URL --to-time T (docs/mariadb.md)");
      }
      return createPoint(database, name);
    });
  }

  private String createPoint(String database, String name) {
    Config cfg = workspace.config();
    // on the primary: after a failover the new one (FollowedPrimary), whose WAL the archive now holds
    RestorePoints.Point p = RestorePoints.create(FollowedPrimary.connection(workspace, cfg, database),
        repository(cfg, database), database, name);
    return p.name() + " at " + p.lsn() + " (" + p.time() + ")";
  }

  private Repository repository(Config cfg, String database) {
    return workspace.repository(cfg, cfg.database(database).repository());
  }

  /** A MariaDB database's PITR drill writes its canaries there and waits for its binlog archive. */
  private boolean isMariaDb(String database) {
    return "mariadb".equals(workspace.config().database(database).engine());
  }
}
