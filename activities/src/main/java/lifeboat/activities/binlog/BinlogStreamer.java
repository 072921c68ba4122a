package lifeboat.activities.binlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbEngine;
import lifeboat.activities.engine.MariaDbErrors;
import lifeboat.activities.engine.MariaDbTools;
import lifeboat.activities.engine.ToolProcess;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.StagingFolders;
import lifeboat.workflows.model.BinlogNames;

/**
 * One run of a MariaDB database's binlog archive: {@code mariadb-binlog --read-from-remote-server --raw
 * --stop-never} copies the server's binary log, file by file, into a staging folder as a replica would receive
 * it; each file the server has rotated away from is stored whole, and the file being written is stored as far as
 * its last complete event every {@code partialEvery}. A run resumes where the archive ends (the file after the
 * newest whole one, or the file a partial object belongs to, fetched again from its start), so runs leave no
 * gap; a file the server purged before it was archived is a gap that `wal status` and `check` report.
 */
final class BinlogStreamer {
  static final String STAGING_PREFIX = "lifeboat-binlog-";
  private static final long POLL_MILLIS = 500;

  /**
   * @param serverId the replica server id mariadb-binlog announces (unique among the server's replicas)
   */
  record Settings(Duration partialEvery, Duration runFor, long serverId, Path stagingRoot) {}

  /**
   * @param startFile      the file the run started from
   * @param archivedFile   the file the archive ends in when the run returned
   * @param archivedBytes  how much of it is stored
   */
  record Outcome(String startFile, String archivedFile, long archivedBytes, int fullsStored, int partialsStored) {}

  private final DbConnection db;
  private final BinlogArchive archive;
  private final Settings settings;
  private int fulls;
  private int partials;
  private String partialName;
  private long partialBytes = -1;

  private BinlogStreamer(DbConnection db, BinlogArchive archive, Settings settings) {
    this.db = db;
    this.archive = archive;
    this.settings = settings;
  }

  static Outcome stream(DbConnection db, BinlogArchive archive, Settings settings, Runnable heartbeat) {
    return new BinlogStreamer(db, archive, settings).run(heartbeat);
  }

  private Outcome run(Runnable heartbeat) {
    List<String> serverFiles = serverFiles(db);
    List<BinlogArchive.Entry> stored = archive.freshest();
    String start;
    if (stored.isEmpty()) {
      start = serverFiles.get(0);
    } else {
      BinlogArchive.Entry last = stored.get(stored.size() - 1);
      String wanted = last.full() ? BinlogNames.next(last.name()) : last.name();
      if (last.full() && BinlogNames.ORDER.compare(wanted, serverFiles.get(serverFiles.size() - 1)) > 0) {
        wanted = serverFiles.get(serverFiles.size() - 1); // cannot be: the server rotated away from it
      }
      if (serverFiles.contains(wanted)) {
        start = wanted;
      } else {
        start = serverFiles.get(0); // purged before it was archived: a gap, which status reports
      }
    }
    Path staging;
    try {
      staging = StagingFolders.create(settings.stagingRoot(), STAGING_PREFIX);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot make a staging folder in " + settings.stagingRoot()
          + ": " + e.getMessage(), "the binlog is staged there on its way to the repository; check the temp folder");
    }
    ToolProcess tool = null;
    ParentWatch watch = null;
    try {
      tool = MariaDbTools.start(db, "mariadb-binlog", List.of("--read-from-remote-server", "--raw", "--stop-never",
          "--stop-never-slave-server-id=" + settings.serverId(), "--result-file=" + staging + "/", start), false,
          ProcessBuilder.Redirect.DISCARD);
      watch = ParentWatch.of(tool.process(), "mariadb-binlog");
      long deadline = System.currentTimeMillis() + settings.runFor().toMillis();
      long lastPartialAt = 0;
      while (true) {
        heartbeat.run(); // throws when the run is cancelled: stored as far as it got, below
        storeRotated(staging, heartbeat);
        if (System.currentTimeMillis() - lastPartialAt >= settings.partialEvery().toMillis()) {
          storeNewestPartial(staging, heartbeat);
          lastPartialAt = System.currentTimeMillis();
        }
        if (!tool.process().isAlive()) {
          int exit = tool.waitFor();
          throw MariaDbErrors.fromTool(tool, exit, db, ErrorCode.WAL_STREAM_FAILED,
              "mariadb-binlog stopped; retried. It needs REPLICATION SLAVE (and BINLOG MONITOR) on the server");
        }
        if (System.currentTimeMillis() >= deadline) {
          break;
        }
        sleep();
      }
      tool.close();
      tool = null;
      storeRotated(staging, heartbeat);
      storeNewestPartial(staging, heartbeat);
      return new Outcome(start, partialName, Math.max(partialBytes, 0), fulls, partials);
    } finally {
      if (tool != null) {
        tool.close();
        try {
          // a cancelled run keeps what it received (no heartbeat: a cancelled step's heartbeat throws)
          storeRotated(staging, () -> { });
          storeNewestPartial(staging, () -> { });
        } catch (RuntimeException ignored) {
          // the run's own failure is what is reported
        }
      }
      if (watch != null) {
        watch.close();
      }
      StagingFolders.deleteTree(staging);
    }
  }

  /** Every staged file but the newest is complete: the server rotated to the next one. */
  private void storeRotated(Path staging, Runnable heartbeat) {
    List<Path> files = staged(staging);
    for (int i = 0; i < files.size() - 1; i++) {
      Path file = files.get(i);
      String name = file.getFileName().toString();
      if (archive.storeFull(name, file, scan(file), heartbeat)) {
        fulls++;
      }
      if (name.equals(partialName)) {
        partialName = null;
        partialBytes = -1;
      }
      try {
        Files.delete(file);
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.IO_FAILED, "cannot remove " + file + ": " + e.getMessage(), "retried");
      }
    }
  }

  private void storeNewestPartial(Path staging, Runnable heartbeat) {
    List<Path> files = staged(staging);
    if (files.isEmpty()) {
      return;
    }
    Path newest = files.get(files.size() - 1);
    String name = newest.getFileName().toString();
    BinlogScan scan = scan(newest);
    if (name.equals(partialName) && scan.completeBytes() <= partialBytes) {
      return; // nothing new since the last one
    }
    archive.storePartial(name, newest, scan, heartbeat);
    partials++;
    partialName = name;
    partialBytes = scan.completeBytes();
  }

  private static List<Path> staged(Path staging) {
    try (Stream<Path> all = Files.list(staging)) {
      List<Path> files = new ArrayList<>(all.filter(p -> BinlogNames.valid(p.getFileName().toString())).toList());
      files.sort((a, b) -> BinlogNames.ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
      return files;
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.IO_FAILED, "cannot list " + staging + ": " + e.getMessage(), "retried");
    }
  }

  private static BinlogScan scan(Path file) {
    try {
      return BinlogScan.of(file);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "the received binlog " + file.getFileName()
          + " cannot be read: " + e.getMessage(), "retried; the next run fetches the file again");
    }
  }

  /** The server's binary log files, oldest first; fails when the binary log is off. */
  static List<String> serverFiles(DbConnection db) {
    try (Connection c = MariaDbEngine.connect(db); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT @@log_bin")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new LifeboatException(ErrorCode.CONFIG_INVALID, "the binary log of " + db.display() + " is off",
              "start the server with log_bin (and a server_id) to archive its binlog for point-in-time recovery");
        }
      }
      List<String> files = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
        while (rs.next()) {
          files.add(rs.getString(1));
        }
      }
      if (files.isEmpty()) {
        throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "the server lists no binary log file", "retried");
      }
      return files;
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, db);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "interrupted", "retried");
    }
  }
}
