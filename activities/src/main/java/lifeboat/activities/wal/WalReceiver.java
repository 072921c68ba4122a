package lifeboat.activities.wal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import lifeboat.activities.config.ListenAddress;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * archive_command mode of the StreamWal step: for as long as the step runs, the worker receives the WAL files
 * PostgreSQL's archiver pushes (curl, see {@link WalPushHandler}) instead of streaming them from a slot. The
 * archiver keeps a file until a push of it answers 200, so nothing is lost while no receiver runs (between two
 * runs of the step, or while the worker is down): the server holds the WAL and pushes it again.
 *
 * <p>The receiver cannot ask the server over replication who it is, so it asks over SQL at start, when the
 * database answers: another cluster than archive.json records is refused (WAL_ARCHIVE_MISMATCH).
 */
public final class WalReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(WalReceiver.class);
  private static final long HEARTBEAT_MILLIS = 2_000;
  /** How long a stop waits for pushes in flight to be stored and answered. */
  private static final int STOP_SECONDS = 5;

  /**
   * @param listen  where to listen
   * @param token   the bearer token a push must carry (resolved from its secret reference)
   * @param runFor  how long this call receives before it returns (the workflow calls it again)
   */
  public record Settings(ListenAddress listen, String token, Duration runFor) {
    public Settings {
      if (token == null || token.length() < 16 || !token.matches("[\\x21-\\x7E]+")) {
        throw new LifeboatException(ErrorCode.CONFIG_INVALID, "the WAL token (wal.token) is shorter than 16"
            + " characters, or holds spaces or control characters", "make one: openssl rand -hex 32");
      }
    }

    @Override
    public String toString() {
      return "Settings[listen=" + listen + ", runFor=" + runFor + "]"; // never the token
    }
  }

  private WalReceiver() {}

  public static WalStreamer.Outcome receive(DbConnection db, WalArchive archive, String database, Settings settings,
      Runnable heartbeat) {
    ArchiveState found = ArchiveState.read(archive.repository(), database);
    Connection sql = open(db, database, found);
    try {
      ServerFacts facts = sql == null ? ServerFacts.of(found) : ServerFacts.read(sql);
      if (found != null && !found.systemIdentifier().equals(facts.systemId())) {
        throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "the server of " + database + " is cluster "
            + facts.systemId() + ", but wal/" + database + "/ archives cluster " + found.systemIdentifier(),
            "a new cluster (initdb, or a rebuild from scratch) needs an archive of its own: move wal/" + database
            + "/ aside, then take a base backup");
      }
      AtomicBoolean stopping = new AtomicBoolean();
      WalPushHandler handler = new WalPushHandler(archive, database, settings.token(), facts.segmentSize(),
          facts.systemId(), found, stopping, end -> serverFlushLsn(sql, end));
      long startLsn = found == null ? 0 : found.archivedLsn();
      run(handler, stopping, database, settings, heartbeat);
      ArchiveState now = handler.state();
      return new WalStreamer.Outcome(startLsn, now == null ? startLsn : now.archivedLsn(),
          now == null ? facts.timeline() : now.timeline(), handler.segmentsStored(), 0);
    } finally {
      close(sql);
    }
  }

  private static void run(WalPushHandler handler, AtomicBoolean stopping, String database, Settings settings,
      Runnable heartbeat) {
    HttpServer server;
    try {
      server = HttpServer.create(settings.listen().socketAddress(), 16);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.WAL_RECEIVER_FAILED, "cannot listen on " + settings.listen().host()
          + ":" + settings.listen().port() + " for the WAL of " + database + ": " + e.getMessage(),
          "another process, or an ending attempt of this step, holds the port, or the address is not this host's;"
          + " retried. PostgreSQL keeps the WAL until a push succeeds");
    }
    // The archiver pushes one file at a time; a second thread answers a stray or repeated push meanwhile.
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "wal-receiver-" + database);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", handler);
    server.start();
    LOG.info("receiving the WAL of {} on {}:{}", database, settings.listen().host(), settings.listen().port());
    try {
      long deadline = System.nanoTime() + settings.runFor().toNanos();
      while (System.nanoTime() < deadline) {
        heartbeat.run(); // throws once `wal stop` cancelled the step: the pushes in flight are finished below
        Thread.sleep(Math.min(HEARTBEAT_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.WAL_RECEIVER_FAILED, "the WAL receiver of " + database
          + " was interrupted", "retried; PostgreSQL keeps the WAL until a push succeeds");
    } finally {
      stopping.set(true);
      server.stop(STOP_SECONDS);
      threads.shutdown();
    }
  }

  /** What the receiver needs to know of the server: who it is, its segment size and timeline, its position. */
  record ServerFacts(String systemId, long segmentSize, int timeline) {
    static ServerFacts read(Connection sql) {
      try (Statement st = sql.createStatement();
           ResultSet rs = st.executeQuery("select (select system_identifier::text from pg_control_system()),"
               + " (select setting::bigint from pg_settings where name = 'wal_segment_size'),"
               + " (select timeline_id from pg_control_checkpoint())")) {
        rs.next();
        return new ServerFacts(rs.getString(1), rs.getLong(2), rs.getInt(3));
      } catch (SQLException e) {
        throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "cannot read the system identifier of the"
            + " server: " + e.getMessage(), "the receiver asks pg_control_system() and pg_control_checkpoint()"
            + " (open to every role by default): check that databases.<db>.url's role may run them");
      }
    }

    /** The database does not answer: what archive.json recorded (checked again at the next step's start). */
    static ServerFacts of(ArchiveState state) {
      return new ServerFacts(state.systemIdentifier(), state.segmentSize(), state.timeline());
    }
  }

  /**
   * The SQL connection, or null when the database does not answer and archive.json says who it is: the pushes
   * may reach the worker when the worker cannot reach the database. With nothing archived yet it is required.
   */
  private static Connection open(DbConnection db, String database, ArchiveState found) {
    try {
      return Jdbc.open(db);
    } catch (LifeboatException e) {
      if (found == null || e.code().userFixable()) {
        throw e;
      }
      LOG.warn("the database {} does not answer ({}); receiving its WAL as archive.json describes it", database,
          e.getMessage());
      return null;
    }
  }

  /** The server's flush position, for archive.json; at least the end just stored when it cannot be asked. */
  private static long serverFlushLsn(Connection sql, long storedEnd) {
    if (sql == null) {
      return storedEnd;
    }
    synchronized (sql) {
      try (Statement st = sql.createStatement(); ResultSet rs = st.executeQuery("select pg_current_wal_flush_lsn()")) {
        rs.next();
        return Math.max(storedEnd, WalNames.parseLsn(rs.getString(1)));
      } catch (SQLException gone) {
        return storedEnd;
      }
    }
  }

  private static void close(Connection sql) {
    if (sql != null) {
      try {
        sql.close();
      } catch (SQLException ignored) {
        // the step is over; the server drops the session
      }
    }
  }
}
