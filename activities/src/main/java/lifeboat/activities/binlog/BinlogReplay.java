package lifeboat.activities.binlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbErrors;
import lifeboat.activities.engine.MariaDbTools;
import lifeboat.activities.engine.MariaDbUrls;
import lifeboat.activities.engine.ToolProcess;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.StagingFolders;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.BinlogReplayPlan;
import lifeboat.workflows.model.DumpSnapshot;

/**
 * MariaDB point in time: which dump and which archived binlog files bring a database to a moment, and their
 * replay into the restored target ({@code mariadb-binlog --start-position --stop-datetime --database
 * --rewrite-db --skip-gtid-strict-mode | FreshGtids | mariadb}). The binlog stamps events to the second, so "to T" replays every event stamped with
 * T's second or earlier.
 */
final class BinlogReplay {
  static final String STAGING_PREFIX = "lifeboat-binlog-replay-";
  private static final DateTimeFormatter STOP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private BinlogReplay() {}

  /**
   * @param manifests  the database's verified backups
   * @param caughtUp   whether the archive holds everything the server has written by now (asked only when the
   *                   archive's newest event is older than {@code toTime})
   */
  static BinlogReplayPlan plan(String database, List<BackupManifest> manifests, BinlogArchive archive,
      Instant toTime, java.util.function.BooleanSupplier caughtUp, Instant now) {
    if (toTime.isAfter(now)) {
      throw unreachable(toTime + " is in the future", "give a moment in the past");
    }
    BackupManifest dump = manifests.stream().filter(BackupManifest::verified)
        .filter(m -> m.snapshot() != null && m.snapshot().binlogFile() != null)
        .filter(m -> !Instant.parse(m.endedAt()).isAfter(toTime))
        .max(Comparator.comparing(m -> Instant.parse(m.endedAt())))
        .orElseThrow(() -> unreachable("no verified backup of " + database + " with a binlog position ended at or "
            + "before " + toTime, "pick a later moment, or take a backup (`lifeboat backup run " + database
                + "`) with the binary log on"));
    DumpSnapshot snap = dump.snapshot();
    List<BinlogArchive.Entry> stored = archive.freshest();
    int at = indexOf(stored, snap.binlogFile());
    if (at < 0) {
      throw unreachable("the binlog archive of " + database + " lacks " + snap.binlogFile() + ", where backup "
          + dump.backupId() + " ends", "the archive started after that backup: pick a moment after a later backup,"
              + " or check `lifeboat wal status " + database + "`");
    }
    List<String> files = new ArrayList<>();
    long toSecond = toTime.getEpochSecond();
    BinlogArchive.Entry last = null;
    for (int i = at; i < stored.size(); i++) {
      BinlogArchive.Entry e = stored.get(i);
      if (last != null) {
        if (!BinlogNames.next(last.name()).equals(e.name())) {
          throw unreachable("binlog " + BinlogNames.next(last.name()) + " of " + database + " is missing from the "
              + "archive (a gap before " + e.name() + ")", "restore to a moment before the gap, or after a backup"
                  + " taken after it");
        }
        if (!last.full()) {
          throw unreachable("only the first " + last.bytes() + " bytes of binlog " + last.name() + " are archived,"
              + " and " + e.name() + " follows it", "restore to a moment before the gap");
        }
      }
      files.add(e.name());
      last = e;
      if (e.lastEventSecond() > toSecond) {
        break; // this file holds the first event after T: nothing later is needed
      }
    }
    if (last.lastEventSecond() <= toSecond && !caughtUp.getAsBoolean()) {
      throw unreachable(toTime + " is after the binlog archive's newest event (" + Instant.ofEpochSecond(
          last.lastEventSecond()) + ", in " + last.name() + ") and the archive is behind the server",
          "pick an earlier moment, or wait for the archive to catch up (`lifeboat wal status " + database + "`)");
    }
    String summary = "backup " + dump.backupId() + " (ended " + dump.endedAt() + ", binlog " + snap.binlogFile()
        + ":" + snap.binlogPosition() + ") and " + files.size() + " binlog file(s) up to " + toTime;
    return new BinlogReplayPlan(dump, snap.binlogFile(), snap.binlogPosition(), files, toTime.toString(), summary);
  }

  private static int indexOf(List<BinlogArchive.Entry> stored, String name) {
    for (int i = 0; i < stored.size(); i++) {
      if (stored.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Fetches each planned file (the freshest object of it now: a live archive replaces partial ones) into a
   * staging folder, replays it, and deletes it before the next: one file on disk at a time.
   */
  static String replay(Config cfg, BinlogArchive archive, BinlogReplayPlan plan, String sourceDatabase,
      DbConnection target, Path stagingRoot, Runnable heartbeat) {
    String targetDatabase = MariaDbUrls.parse(target.url()).database();
    long toSecond = Instant.parse(plan.toTime()).getEpochSecond();
    String stop = STOP.format(Instant.ofEpochSecond(toSecond + 1));
    Path staging;
    try {
      staging = StagingFolders.create(stagingRoot, STAGING_PREFIX);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot make a staging folder in " + stagingRoot + ": "
          + e.getMessage(), "check the worker's temp folder");
    }
    long gtidEvents = 0;
    try {
      for (int i = 0; i < plan.files().size(); i++) {
        heartbeat.run();
        String name = plan.files().get(i);
        Path file = staging.resolve(name);
        BinlogArchive.Entry fetched = fetch(cfg, archive, name, file);
        List<String> args = new ArrayList<>(List.of("mariadb-binlog", "--no-defaults",
            "--database=" + sourceDatabase, "--rewrite-db=" + sourceDatabase + "->" + targetDatabase,
            // A server with gtid_strict_mode off (the default) may log sequence numbers out of order (a session's
            // gtid_seq_no, a replay of an older Lifeboat); the decoder must read what the server wrote.
            "--skip-gtid-strict-mode"));
        if (fetched.lastEventSecond() > toSecond) {
          // Only a file with an event after T gets the stop: mariadb-binlog fails a stop it never reaches.
          args.add("--stop-datetime=" + stop);
        }
        if (i == 0) {
          args.add("--start-position=" + plan.startPosition());
        }
        args.add(file.toString());
        gtidEvents += apply(args, target);
        Files.deleteIfExists(file);
      }
      return "replayed " + plan.files().size() + " binlog file(s) from " + plan.startFile() + ":"
          + plan.startPosition() + " up to " + plan.toTime() + " (events stamped " + stop + " UTC or later skipped): "
          + "GTIDs of the target's own (the source's sequence numbers left out of " + gtidEvents + " GTID event(s))";
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "binlog replay: " + e.getMessage(), "retried");
    } finally {
      StagingFolders.deleteTree(staging);
    }
  }

  /**
   * Fetches the freshest object of the file now. A live archive replaces a partial object by a longer one while
   * this runs (the new one is stored before the old one goes): an object gone between the listing and the read is
   * looked up again.
   */
  private static BinlogArchive.Entry fetch(Config cfg, BinlogArchive archive, String name, Path file) {
    for (int tries = 1; ; tries++) {
      BinlogArchive.Entry entry = archive.freshest().stream().filter(e -> e.name().equals(name)).findFirst()
          .orElseThrow(() -> unreachable("binlog " + name + " is no longer in the archive", "restore again: the"
              + " plan is made anew"));
      try {
        archive.readTo(cfg, entry, file);
        return entry;
      } catch (LifeboatException e) {
        if (e.code() != ErrorCode.BACKUP_NOT_FOUND || tries >= 5) {
          throw e;
        }
      }
    }
  }

  /**
   * mariadb-binlog (local file, UTC: --stop-datetime is read in its time zone) piped into the mariadb client. It
   * exits 0 after an event it cannot read ("ERROR: Error in Log_event::read_log_event(): 'Event truncated'"),
   * having decoded only what came before: an ERROR line on its stderr fails the replay as its exit status would.
   */
  static long apply(List<String> binlogArgs, DbConnection target) throws IOException {
    ProcessBuilder decode = new ProcessBuilder(binlogArgs);
    decode.environment().put("TZ", "UTC");
    try (ToolProcess reader = ToolProcess.start(decode, "install the MariaDB client tools (mariadb-client)");
         ToolProcess client = MariaDbTools.start(target, "mariadb", List.of("--binary-mode", "--batch"), true,
             ProcessBuilder.Redirect.DISCARD)) {
      reader.stdin().close();
      FreshGtids sql = new FreshGtids(reader.stdout());
      try (sql) {
        ToolProcess.feed(sql, client);
      }
      int decoded = reader.waitFor();
      int applied = client.waitFor();
      boolean errorLine = reader.stderrTail().lines().anyMatch(l -> l.startsWith("ERROR:"));
      if (decoded != 0 || errorLine) {
        throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, decoded != 0 ? reader.failureSummary(decoded)
            : "mariadb-binlog exited 0 but reported: " + reader.stderrTail(),
            "the archived binlog cannot be decoded; restore to a moment before this file");
      }
      if (applied != 0) {
        throw MariaDbErrors.fromTool(client, applied, target, ErrorCode.RESTORE_FAILED,
            "the binlog did not apply to the restored database; see the message (the target is half brought forward:"
                + " restore again)");
      }
      return sql.gtidEvents();
    }
  }

  private static LifeboatException unreachable(String what, String hint) {
    return new LifeboatException(ErrorCode.RECOVERY_TARGET_UNREACHABLE, what, hint);
  }
}
