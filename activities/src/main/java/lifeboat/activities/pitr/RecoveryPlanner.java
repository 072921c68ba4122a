package lifeboat.activities.pitr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lifeboat.activities.config.Config;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.wal.ArchiveState;
import lifeboat.activities.wal.TimelineHistory;
import lifeboat.activities.wal.WalArchive;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.RecoveryPlan;

/**
 * Decides a restore to a moment before anything is written: the base backup (the newest that ends before the
 * target), the WAL it needs (from the backup's start to the target, or the archive's end), and the settings
 * that stop recovery at the target. Whatever cannot work is refused here, naming why: a target outside the
 * range the backups and the archive cover, a missing segment, a DIR that is not empty, a port in use.
 */
final class RecoveryPlanner {
  /** The folder inside the new cluster where the fetched WAL waits for restore_command. */
  static final String STAGING = "lifeboat_restore_wal";

  private RecoveryPlanner() {}

  static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException iso) {
      try {
        return RecoveryTimes.instant(text); // PostgreSQL's own form: 2026-12-01 14:32:07+00
      } catch (DateTimeParseException e) {
        throw new LifeboatException(ErrorCode.TARGET_INVALID, "--to-time '" + text + "' is not a time with an"
            + " offset", "write it as 2026-12-01T14:32:07Z or '2026-12-01 14:32:07+00'");
      }
    }
  }

  static RecoveryPlan plan(Config cfg, Repository repo, PitrRequest asked, String taskQueue) {
    PitrRequest request = asked.throwaway() ? placed(asked) : asked;
    String db = request.database();
    checkDir(Path.of(request.dir()));
    checkReachable(Path.of(request.dir()));
    checkPort(request.port());
    Instant targetTime = request.targetTime() == null ? null : parseTime(request.targetTime());
    RestorePoints.Point point = request.targetName() == null ? null
        : RestorePoints.read(repo, db, request.targetName());
    Long targetLsn = null; // not a ?: chain: a long in one branch would unbox the null of the other
    if (request.targetLsn() != null) {
      targetLsn = lsn(request.targetLsn());
    } else if (point != null) {
      targetLsn = lsn(point.lsn());
    }
    BackupManifest base = pickBase(repo, request, targetTime, targetLsn);
    ArchiveState state = ArchiveState.read(repo, db);
    List<String> settings = new ArrayList<>();
    String staging = Path.of(request.dir()).toAbsolutePath().resolve(STAGING).toString();
    settings.add("restore_command = 'cp \"" + staging + "/%f\" \"%p\"'");
    settings.add("recovery_target_action = 'promote'");
    settings.add("recovery_target_timeline = 'latest'");
    if (targetTime != null) {
      // PostgreSQL keeps microseconds: the target is cut down to them (never later than asked).
      settings.add("recovery_target_time = '" + java.time.format.DateTimeFormatter.ofPattern(
          "yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(java.time.ZoneOffset.UTC)
          .format(targetTime.truncatedTo(java.time.temporal.ChronoUnit.MICROS)) + "'");
    } else if (point != null) {
      settings.add("recovery_target_name = '" + point.name() + "'");
    } else if (request.targetXid() != null) {
      if (!request.targetXid().matches("\\d{1,20}")) {
        throw new LifeboatException(ErrorCode.TARGET_INVALID, "--to-xid '" + request.targetXid() + "' is not a"
            + " transaction id", "e.g. --to-xid 7412 (txid_current() of the transaction)");
      }
      settings.add("recovery_target_xid = '" + request.targetXid() + "'");
    } else if (targetLsn != null) {
      settings.add("recovery_target_lsn = '" + WalNames.lsn(targetLsn) + "'");
    } else if (request.immediate()) {
      settings.add("recovery_target = 'immediate'");
    } // else no target: recovery runs to the end of the WAL fetched, the archive's newest
    boolean needsArchive = !(request.immediate() && base.base().walIncluded());
    List<String> keys = List.of();
    String first = base.base().startSegment();
    String last = first;
    if (needsArchive) {
      if (state == null) {
        throw unreachable("database " + db + " has no WAL archive to recover " + request.target() + " from",
            "archive its WAL (`lifeboat wal start " + db + "`), or restore with --immediate to the end of a base"
                + " backup");
      }
      if (targetTime != null && targetTime.toEpochMilli() > state.archivedAtMillis()) {
        throw unreachable("the WAL archive of " + db + " reaches " + Instant.ofEpochMilli(state.archivedAtMillis())
            + " (up to " + WalNames.lsn(state.archivedLsn()) + "); " + request.target() + " is after it",
            "pick a moment before " + Instant.ofEpochMilli(state.archivedAtMillis()) + "; `lifeboat wal status " + db
                + "` shows whether the archive runs");
      }
      if (targetLsn != null && targetLsn > state.archivedLsn()) {
        throw unreachable("the WAL archive of " + db + " reaches " + WalNames.lsn(state.archivedLsn()) + "; "
            + request.target() + " is after it", "pick an LSN up to " + WalNames.lsn(state.archivedLsn()));
      }
      long endLsn = request.immediate() ? lsn(base.base().stopLsn())
          : targetLsn != null ? Math.min(state.archivedLsn(), targetLsn + state.segmentSize()) : state.archivedLsn();
      Range range = range(new WalArchive(repo, db, List.of(), 1), cfg, state, base, endLsn, db);
      keys = range.keys();
      last = range.last();
    }
    return new RecoveryPlan(db, base.backupId(), base.objectKey(), !"none".equals(base.encryption()), keys, first,
        last, settings, request.target(), Path.of(request.dir()).toAbsolutePath().toString(), request.port(),
        taskQueue, state == null ? null : Instant.ofEpochMilli(state.archivedAtMillis()).toString(),
        targetTime != null, asked.throwaway());
  }

  /**
   * A drill's request with its cluster's place and a free port chosen on this host: in the worker's drill folder
   * under a drill name (PitrDrillTargets), so a cluster whose drill is gone is removed like any drill target.
   */
  private static PitrRequest placed(PitrRequest r) {
    Path dir = lifeboat.activities.drill.PitrDrillTargets.place(r.database(),
        java.util.UUID.randomUUID().toString().substring(0, 8));
    Path folder = dir.getParent();
    try {
      Files.createDirectories(folder);
      // the postgres OS user (root workers) must traverse it to reach the data directory
      Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, "cannot make " + folder + ": " + e.getMessage(),
          "check that java.io.tmpdir is writable and has free space");
    }
    return new PitrRequest(r.database(), r.backupId(), r.targetTime(), r.targetLsn(), r.immediate(), dir.toString(),
        lifeboat.activities.postgres.LocalCluster.freePort(), r.targetName(), r.targetXid());
  }

  private static BackupManifest pickBase(Repository repo, PitrRequest request, Instant targetTime, Long targetLsn) {
    String db = request.database();
    List<BackupManifest> bases = Manifests.newestVerifiedBase(repo, db, Integer.MAX_VALUE);
    if (request.backupId() != null) {
      BackupManifest named = bases.stream().filter(m -> m.backupId().equals(request.backupId())).findFirst()
          .orElseThrow(() -> new LifeboatException(ErrorCode.BACKUP_NOT_FOUND, "no verified base backup "
              + request.backupId() + " of " + db, "`lifeboat backup list " + db + "` shows the base backups"));
      if (!reaches(named, targetTime, targetLsn)) {
        throw unreachable("base backup " + named.backupId() + " ends at " + named.endedAt() + " ("
            + named.base().stopLsn() + "): " + request.target() + " is before it", "pick an older base backup");
      }
      return named;
    }
    if (bases.isEmpty()) {
      throw new LifeboatException(ErrorCode.BACKUP_NOT_FOUND, "database " + db + " has no verified base backup",
          "take one: `lifeboat backup run " + db + " --type base`");
    }
    if (request.targetXid() != null) {
      // Nothing in the repository says when a transaction committed: the oldest base backup is before it (if
      // the archive holds it at all); --backup picks a newer one known to be before it.
      return bases.get(bases.size() - 1);
    }
    return bases.stream().filter(m -> reaches(m, targetTime, targetLsn)).findFirst()
        .orElseThrow(() -> unreachable("the oldest base backup of " + db + " ends at "
            + bases.get(bases.size() - 1).endedAt() + " (" + bases.get(bases.size() - 1).base().stopLsn() + "): "
            + request.target() + " is before it", "no backup reaches that moment"));
  }

  /** Whether recovery from {@code m} can stop at the target: the target is after the backup became consistent. */
  private static boolean reaches(BackupManifest m, Instant targetTime, Long targetLsn) {
    if (targetTime != null) {
      return !Instant.parse(m.endedAt()).isAfter(targetTime);
    }
    return targetLsn == null || lsn(m.base().stopLsn()) <= targetLsn;
  }

  record Range(List<String> keys, String last) {}

  /**
   * The archive objects from the backup's first segment through the one holding {@code endLsn}: each full
   * segment, the newest partial one at the very end, and the timeline history files. A segment missing on the
   * way is refused, named.
   */
  private static Range range(WalArchive archive, Config cfg, ArchiveState state, BackupManifest base, long endLsn,
      String db) {
    long size = state.segmentSize();
    Map<String, WalArchive.Entry> full = new HashMap<>();
    Map<String, WalArchive.Entry> partial = new HashMap<>();
    List<String> histories = new ArrayList<>();
    WalArchive.Entry currentHistory = null;
    for (WalArchive.Entry e : archive.list()) {
      if (e.isSegment()) {
        full.put(e.name(), e);
      } else if (e.partialOf() != null) {
        partial.merge(e.partialOf(), e, (a, b) -> a.partialBytes() >= b.partialBytes() ? a : b);
      } else if (e.isHistory()) {
        histories.add(e.key());
        if (e.name().equals(WalNames.historyName(state.timeline()))) {
          currentHistory = e;
        }
      }
    }
    TimelineHistory history = currentHistory == null ? TimelineHistory.none(state.timeline())
        : TimelineHistory.parse(state.timeline(), archive.read(cfg, currentHistory));
    List<String> keys = new ArrayList<>(histories);
    long from = WalNames.parse(base.base().startSegment(), size).number();
    long to = endLsn / size;
    String last = null;
    for (long n = from; n <= to; n++) {
      String name = new WalNames.Segment(history.timelineOf(n * size, size), n).name(size);
      WalArchive.Entry e = full.get(name);
      if (e == null && n == to) {
        e = partial.get(name);
        if (e == null && endLsn % size == 0) {
          break; // the range ends exactly at this segment's start: nothing of it is needed
        }
      }
      if (e == null) {
        throw unreachable("WAL segment " + name + " of " + db + " is missing from the archive: recovery cannot"
            + " pass it", "restore to a moment before it, or take a base backup after it"
            + " (`lifeboat wal status " + db + "` lists the gaps)");
      }
      keys.add(e.key());
      last = name;
    }
    return new Range(keys, last == null ? base.base().startSegment() : last);
  }

  private static void checkDir(Path dir) {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new LifeboatException(ErrorCode.TARGET_NOT_EMPTY, "--to-dir " + dir + " is not empty",
              "name an empty or new folder: the restored cluster is made there");
        }
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.TARGET_INVALID, "cannot read --to-dir " + dir + ": " + e.getMessage(),
            "name a folder the worker can write");
      }
    } else if (Files.exists(dir)) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "--to-dir " + dir + " is not a folder", "name a folder");
    } else if (dir.toAbsolutePath().getParent() == null || !Files.isDirectory(dir.toAbsolutePath().getParent())) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "the parent of --to-dir " + dir + " does not exist",
          "make it first, on the worker's host");
    }
  }

  /**
   * As root the server runs as the postgres OS user, which must reach DIR through every folder above it: a
   * 0700 parent (a home folder, a JUnit temp dir) would let the unpack fail half-way, so it is refused here.
   */
  private static void checkReachable(Path dir) {
    if (!lifeboat.activities.postgres.ServerPrograms.root()) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    try {
      Process p = new ProcessBuilder("runuser", "-u", lifeboat.activities.postgres.ServerPrograms.OS_USER, "--",
          "test", "-x", parent.toString()).directory(Path.of("/").toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // runuser missing: the unpack would fail the same way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new LifeboatException(ErrorCode.TARGET_INVALID, "the postgres OS user the restored server runs as cannot"
        + " reach " + parent, "pick a --to-dir under a folder every user can enter (chmod o+x on each folder"
        + " above it), e.g. under /var/tmp or /srv");
  }

  private static void checkPort(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.getLocalPort();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "port " + port + " is in use on the worker's host",
          "pick a free one");
    }
  }

  private static long lsn(String text) {
    try {
      return WalNames.parseLsn(text);
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, e.getMessage(), "e.g. --to-lsn 0/3000148");
    }
  }

  private static LifeboatException unreachable(String message, String hint) {
    return new LifeboatException(ErrorCode.RECOVERY_TARGET_UNREACHABLE, message, hint);
  }
}
