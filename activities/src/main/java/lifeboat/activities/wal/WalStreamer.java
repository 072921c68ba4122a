package lifeboat.activities.wal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyDual;
import org.postgresql.core.v3.replication.V3PGReplicationStream;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationType;

/**
 * Streams a cluster's WAL into its archive over the replication protocol, from a physical replication slot, as
 * pg_receivewal does, but straight into the repository: nothing is written to a local disk.
 *
 * <p><b>No gap.</b> The slot keeps on the server every byte of WAL not yet confirmed, and a position is confirmed
 * only once its whole segment is stored. A worker killed with WAL received but not stored loses nothing: the next
 * attempt starts again at the segment the slot holds, and a segment stored twice is the same object (see
 * {@link WalArchive#storeSegment}). The segment being written is held in memory (wal_segment_size, 16 MB by
 * default) and stored as a partial object every {@code partialEvery}, so the recovery point is seconds old.
 */
public final class WalStreamer {
  /** How long the stream waits between polls when the server has sent nothing. */
  private static final long IDLE_MILLIS = 20;
  private static final long HEARTBEAT_MILLIS = 2_000;

  /**
   * @param slot          the physical replication slot (made, reserving WAL, if it is not there)
   * @param partialEvery  how often the segment being written is stored as it is so far
   * @param runFor        how long this call streams before it returns (the workflow calls it again)
   * @param standbys      streaming standbys to keep the slot on as well ({@link StandbySlots})
   */
  public record Settings(String slot, Duration partialEvery, Duration runFor, List<DbConnection> standbys) {
    public Settings(String slot, Duration partialEvery, Duration runFor) {
      this(slot, partialEvery, runFor, List.of());
    }
  }

  /** How far a call got: where it started, how far the archive reaches now, what it stored. */
  public record Outcome(long startLsn, long archivedLsn, int timeline, int segmentsStored, int partialsStored) {}

  private WalStreamer() {}

  public static Outcome stream(DbConnection db, WalArchive archive, String database, Settings settings,
      Runnable heartbeat) {
    long deadline = System.nanoTime() + settings.runFor().toNanos();
    try (Connection sql = Jdbc.open(db); StandbySlots standbys = StandbySlots.open(settings.standbys(),
        settings.slot())) {
      ServerFacts facts = ServerFacts.read(sql, db);
      long segmentSize = facts.segmentSize();
      long restartLsn = Slots.acquire(sql, settings.slot());
      Identity identity;
      TimelineHistory history;
      ArchiveState state = ArchiveState.read(archive.repository(), database);
      try (Connection replication = Jdbc.replication(db)) {
        identity = Identity.of(replication);
        if (state != null && !state.systemIdentifier().equals(identity.systemId())) {
          throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "the server of " + database + " is cluster "
              + identity.systemId() + ", but wal/" + database + "/ archives cluster " + state.systemIdentifier(),
              "a new cluster (initdb, or a rebuild from scratch) needs an archive of its own: move wal/" + database
              + "/ aside, then take a base backup");
        }
        history = Timelines.store(replication, archive, identity.timeline());
      }
      if (state == null) {
        long start = restartLsn / segmentSize * segmentSize;
        state = new ArchiveState(identity.systemId(), segmentSize, identity.timeline(), settings.slot(),
            null, 0, start, System.currentTimeMillis(), identity.flushLsn(), history.switches(), List.of());
        return new Session(sql, db, standbys, archive, database, settings, heartbeat, segmentSize, history, state,
            start, null, deadline).run();
      }
      if (state.timeline() == identity.timeline()) {
        long start = restartLsn / segmentSize * segmentSize;
        return new Session(sql, db, standbys, archive, database, settings, heartbeat, segmentSize, history, state,
            start, null, deadline).run();
      }
      return new TimelineCatchUp(sql, db, standbys, archive, database, settings, heartbeat, segmentSize, history,
          restartLsn, deadline).run(state, identity);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "the WAL stream of " + database + " failed: "
          + e.getMessage(), "retried from the replication slot " + settings.slot() + "; nothing it held is lost");
    }
  }

  /**
   * The server is on a later timeline than the archive: it was promoted (a failover) since the archive last
   * streamed. The archive's timeline is streamed from where the archive ends up to its switch point (the new
   * primary has that WAL: as a standby it received it), then each later timeline from the segment holding the
   * switch into it, which starts with a copy of the old timeline's part, as PostgreSQL's own file does. So the
   * archive holds every byte of the new primary's history, and recovery crosses the switch with the history file.
   */
  private record TimelineCatchUp(Connection sql, DbConnection db, StandbySlots standbys, WalArchive archive,
      String database, Settings settings, Runnable heartbeat, long segmentSize, TimelineHistory history,
      long restartLsn, long deadline) {

    Outcome run(ArchiveState state, Identity identity) throws SQLException {
      int current = identity.timeline();
      if (state.timeline() > current) {
        // An old primary back up (not fenced) or a restored copy: its WAL is not the archive's history. Retried:
        // a failover's follow-wal-archive points the archive at the new primary, and it goes on by itself.
        throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "the server " + db.display() + " is on timeline "
            + current + ", but the archive of " + database + " has reached timeline " + state.timeline() + ": it is"
            + " not the current primary (an old primary started again, or a restored copy)",
            "point the archive at the current primary: its url in lifeboat.yaml, or " + FollowedPrimary.key(database)
                + " (written by a Lifeboat failover); retried meanwhile");
      }
      if (history.endOf(state.timeline()) == null) {
        throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "timeline " + state.timeline() + " of the"
            + " archive of " + database + " is not in the history of the server's timeline " + current,
            "the server branched off elsewhere (a PITR restore promoted into production?): move wal/" + database
                + "/ aside and take a base backup, or point the archive at the right server");
      }
      long from = state.archivedLsn();
      int segments = 0;
      int partials = 0;
      long begin = from;
      for (TimelineHistory.Switch sw : history.switches()) {
        if (sw.timeline() < state.timeline()) {
          continue;
        }
        if (from < sw.lsn()) {
          long start = from / segmentSize * segmentSize;
          Session old = new Session(sql, db, standbys, archive, database, settings, heartbeat, segmentSize,
              history.upTo(sw.timeline()), state, start, sw.lsn(), deadline);
          try {
            Outcome part = old.run();
            segments += part.segmentsStored();
            partials += part.partialsStored();
            if (part.archivedLsn() < sw.lsn()) { // out of time: the next call goes on from here
              return new Outcome(begin, part.archivedLsn(), sw.timeline(), segments, partials);
            }
          } catch (SQLException e) {
            if (!removed(e)) {
              throw e;
            }
            // The new primary recycled it (no slot kept it: see StandbySlots). Nothing can bring it back: the
            // archive goes on along the new timeline, and `wal status` and the wal-gap alarm name what is missing.
          }
          state = old.state();
        }
        from = sw.lsn();
      }
      long switchSegment = history.switches().get(history.switches().size() - 1).lsn() / segmentSize * segmentSize;
      Outcome last;
      try {
        last = current(state, switchSegment);
      } catch (SQLException e) {
        if (!removed(e) || restartLsn / segmentSize * segmentSize <= switchSegment) {
          throw e;
        }
        last = current(state, restartLsn / segmentSize * segmentSize); // a gap on the new timeline too
      }
      return new Outcome(begin, last.archivedLsn(), current, segments + last.segmentsStored(),
          partials + last.partialsStored());
    }

    private Outcome current(ArchiveState state, long start) throws SQLException {
      return new Session(sql, db, standbys, archive, database, settings, heartbeat, segmentSize, history, state,
          start, null, deadline).run();
    }

    /** "requested WAL segment … has already been removed": the server recycled it. */
    private static boolean removed(SQLException e) {
      return "58P01".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("has already been removed");
    }
  }

  /** What the stream needs to know of the server, read over SQL. */
  private record ServerFacts(long segmentSize) {
    static ServerFacts read(Connection sql, DbConnection db) throws SQLException {
      try (Statement st = sql.createStatement();
           ResultSet rs = st.executeQuery("select current_setting('wal_level'),"
               + " (select setting::bigint from pg_settings where name = 'wal_segment_size')")) {
        rs.next();
        if (rs.getString(1).equals("minimal")) {
          throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "the server of " + db.display()
              + " has wal_level = minimal: it writes too little WAL to archive or recover from",
              "set wal_level = replica (the default) in postgresql.conf and restart the server");
        }
        return new ServerFacts(rs.getLong(2));
      }
    }
  }

  /** IDENTIFY_SYSTEM: the cluster's identity, its timeline and its flush position. */
  private record Identity(String systemId, int timeline, long flushLsn) {
    static Identity of(Connection replication) throws SQLException {
      try (Statement st = replication.createStatement(); ResultSet rs = st.executeQuery("IDENTIFY_SYSTEM")) {
        rs.next();
        return new Identity(rs.getString(1), rs.getInt(2), WalNames.parseLsn(rs.getString(3)));
      }
    }
  }

  /** One call's stream: receive, fill the segment, store it, confirm it; store the partial one on a timer. */
  private static final class Session {
    private final Connection sql;
    private final DbConnection db;
    private final StandbySlots standbys;
    private final WalArchive archive;
    private final String database;
    private final Settings settings;
    private final Runnable heartbeat;
    private final long segmentSize;
    private final TimelineHistory history;
    private final byte[] segment;
    private final long startLsn;
    /** Where a timeline that is history on the server ends (its switch point); null: the server's current one. */
    private final Long endLsn;
    private final long deadline;
    private ArchiveState state;
    private long segmentStart;
    private int filled;
    private int partialFilled;
    private int segmentsStored;
    private int partialsStored;

    Session(Connection sql, DbConnection db, StandbySlots standbys, WalArchive archive, String database,
        Settings settings, Runnable heartbeat, long segmentSize, TimelineHistory history, ArchiveState state,
        long startLsn, Long endLsn, long deadline) {
      this.sql = sql;
      this.db = db;
      this.standbys = standbys;
      this.archive = archive;
      this.database = database;
      this.settings = settings;
      this.heartbeat = heartbeat;
      this.segmentSize = segmentSize;
      this.history = history;
      this.state = state;
      this.startLsn = startLsn;
      this.endLsn = endLsn;
      this.deadline = deadline;
      this.segment = new byte[Math.toIntExact(segmentSize)];
      this.segmentStart = startLsn;
    }

    ArchiveState state() {
      return state;
    }

    Outcome run() throws SQLException {
      try (Connection replication = Jdbc.replication(db)) {
        return run(replication.unwrap(PGConnection.class));
      }
    }

    private Outcome run(PGConnection replication) throws SQLException {
      long partialDue = System.nanoTime() + settings.partialEvery().toNanos();
      long heartbeatDue = 0;
      PGReplicationStream stream = open(replication);
      try {
        while (System.nanoTime() < deadline && !reachedEnd()) {
          if (System.nanoTime() >= heartbeatDue) {
            beat();
            heartbeatDue = System.nanoTime() + HEARTBEAT_MILLIS * 1_000_000;
          }
          if (System.nanoTime() >= partialDue) {
            storePartial();
            partialDue = System.nanoTime() + settings.partialEvery().toNanos();
          }
          ByteBuffer chunk = stream.readPending();
          if (chunk == null) {
            if (stream.isClosed()) {
              throw new SQLException("the server ended the replication stream at " + WalNames.lsn(segmentStart
                  + filled) + " (end of timeline " + history.current() + ": was the server promoted or stopped?)");
            }
            sleep();
            continue;
          }
          long chunkStart = stream.getLastReceiveLSN().asLong() - chunk.remaining();
          if (chunkStart != segmentStart + filled) {
            throw new SQLException("the server sent WAL from " + WalNames.lsn(chunkStart) + " where "
                + WalNames.lsn(segmentStart + filled) + " was expected");
          }
          if (endLsn != null && chunkStart + chunk.remaining() > endLsn) {
            throw new SQLException("the server sent WAL of timeline " + history.current() + " past its end "
                + WalNames.lsn(endLsn));
          }
          take(chunk, stream);
        }
        storePartial();
      } catch (SQLException | RuntimeException broken) {
        keepReceived(broken);
        throw broken;
      } finally {
        close(stream);
      }
      return new Outcome(startLsn, state.archivedLsn(), history.current(), segmentsStored, partialsStored);
    }

    private boolean reachedEnd() {
      return endLsn != null && segmentStart + filled == endLsn;
    }

    /**
     * The server's current timeline from the slot; an older one (history on the server) without it, with the
     * TIMELINE option PgJDBC's builder lacks: the command goes through the COPY API and PgJDBC's own stream
     * class reads it. The server sends that timeline up to its switch point, then ends the stream.
     */
    private PGReplicationStream open(PGConnection replication) throws SQLException {
      if (endLsn == null) {
        return replication.getReplicationAPI().replicationStream().physical()
            .withSlotName(settings.slot())
            .withStartPosition(LogSequenceNumber.valueOf(startLsn))
            .withStatusInterval(10, java.util.concurrent.TimeUnit.SECONDS)
            // PgJDBC's default moves the confirmed position to the server's end on a keepalive once everything
            // received is flushed: past WAL not stored yet. Only take() confirms, a stored segment at a time.
            .withAutomaticFlush(false)
            .start();
      }
      CopyDual copy = replication.getCopyAPI().copyDual("START_REPLICATION PHYSICAL " + WalNames.lsn(startLsn)
          + " TIMELINE " + history.current());
      return new V3PGReplicationStream(copy, LogSequenceNumber.valueOf(startLsn), 10_000, false,
          ReplicationType.PHYSICAL);
    }

    /** An old timeline's stream the server already ended may not close cleanly; its connection goes anyway. */
    private void close(PGReplicationStream stream) throws SQLException {
      try {
        stream.close();
      } catch (SQLException e) {
        if (endLsn == null) {
          throw e;
        }
      }
    }

    /**
     * The stream broke (the server stopped or died, the network went): what it sent before is WAL the server had
     * flushed, so it is stored as the partial segment before the step fails. A primary killed under load then
     * loses only what it never sent, not the seconds since the last timed partial store.
     */
    private void keepReceived(Exception broken) {
      if (broken instanceof io.temporal.client.ActivityCanceledException) {
        return; // stored already by beat()
      }
      try {
        storePartial();
      } catch (RuntimeException | SQLException e) {
        broken.addSuppressed(e);
      }
    }

    /**
     * Heartbeats; throws once the workflow cancelled this step (`wal stop`: what was received is stored first)
     * or the server gave up on it (then another attempt streams, and this one stores nothing more).
     */
    private void beat() throws SQLException {
      try {
        heartbeat.run();
      } catch (io.temporal.client.ActivityCanceledException stop) {
        storePartial();
        throw stop;
      }
    }

    /** Copies the chunk into the segment; each segment filled is stored, then confirmed to the server. */
    private void take(ByteBuffer chunk, PGReplicationStream stream) throws SQLException {
      while (chunk.hasRemaining()) {
        int n = (int) Math.min(chunk.remaining(), segmentSize - filled);
        chunk.get(segment, filled, n);
        filled += n;
        if (filled == segmentSize) {
          String name = name(segmentStart);
          archive.storeSegment(name, segment, filled);
          archive.removePartialsBefore(name, null);
          segmentsStored++;
          segmentStart += segmentSize;
          filled = 0;
          partialFilled = 0;
          standbys.advance(segmentStart);
          recordArchived(segmentStart, name);
          // Only now may the server drop it: the slot's restart point moves to the next segment.
          LogSequenceNumber stored = LogSequenceNumber.valueOf(segmentStart);
          stream.setFlushedLSN(stored);
          stream.setAppliedLSN(stored);
          stream.forceUpdateStatus();
        }
      }
    }

    private void storePartial() throws SQLException {
      if (filled == 0 || filled == partialFilled) {
        return;
      }
      String name = name(segmentStart);
      archive.storePartial(name, segment, filled);
      partialFilled = filled;
      partialsStored++;
      recordArchived(segmentStart + filled, name);
    }

    private void recordArchived(long archivedLsn, String segmentName) {
      long now = System.currentTimeMillis();
      if (state.firstSegment() == null) {
        state = new ArchiveState(state.systemIdentifier(), segmentSize, history.current(), settings.slot(),
            segmentName, now, archivedLsn, now, serverFlushLsn(archivedLsn), history.switches(), standbys.lines());
      } else {
        state = state.archived(history, archivedLsn, now, serverFlushLsn(archivedLsn), standbys.lines());
      }
      state.write(archive.repository(), database);
    }

    /**
     * The server's flush position, for the lag; when the server is gone (the stream broke with it), at least as
     * far as what was received, which it had flushed.
     */
    private long serverFlushLsn(long archivedLsn) {
      try (Statement st = sql.createStatement(); ResultSet rs = st.executeQuery("select pg_current_wal_flush_lsn()")) {
        rs.next();
        return WalNames.parseLsn(rs.getString(1));
      } catch (SQLException gone) {
        return Math.max(archivedLsn, state.serverLsn());
      }
    }

    private String name(long lsn) {
      return new WalNames.Segment(history.timelineOf(lsn, segmentSize), lsn / segmentSize).name(segmentSize);
    }

    private static void sleep() {
      try {
        Thread.sleep(IDLE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "the WAL stream was interrupted",
            "retried from the replication slot; nothing it held is lost");
      }
    }
  }

  /** The replication slot: made if missing (reserving WAL at once), taken over from a dead earlier attempt. */
  static final class Slots {
    private Slots() {}

    /** The slot's restart point: every byte from there on is still on the server. */
    static long acquire(Connection sql, String slot) throws SQLException {
      for (int attempt = 0; attempt < 50; attempt++) {
        try (PreparedStatement st = sql.prepareStatement("select restart_lsn, active_pid, slot_type"
            + " from pg_replication_slots where slot_name = ?")) {
          st.setString(1, slot);
          try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              create(sql, slot);
              continue;
            }
            if (!rs.getString(3).equals("physical")) {
              throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "replication slot " + slot + " is a "
                  + rs.getString(3) + " slot", "name another slot in wal.slot, or drop this one");
            }
            Object activePid = rs.getObject(2);
            if (activePid == null) {
              String restart = rs.getString(1);
              if (restart == null) {
                throw new LifeboatException(ErrorCode.WAL_ARCHIVE_MISMATCH, "replication slot " + slot
                    + " reserves no WAL (made without reserving it)", "drop it: Lifeboat makes it again, reserving");
              }
              return WalNames.parseLsn(restart);
            }
            // An earlier attempt of this step whose worker the server gave up on: its connection goes.
            try (PreparedStatement kill = sql.prepareStatement("select pg_terminate_backend(?)")) {
              kill.setObject(1, activePid);
              kill.execute();
            }
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      throw new LifeboatException(ErrorCode.WAL_STREAM_FAILED, "replication slot " + slot + " stays in use by"
          + " another connection", "retried; if it persists, see pg_stat_replication for who holds it");
    }

    static void create(Connection sql, String slot) throws SQLException {
      try (PreparedStatement st = sql.prepareStatement("select pg_create_physical_replication_slot(?, true)")) {
        st.setString(1, slot);
        st.execute();
      } catch (SQLException e) {
        if (!"42710".equals(e.getSQLState())) { // made meanwhile by a concurrent attempt: fine
          throw e;
        }
      }
    }
  }

  /** The timeline history files the server has, stored in the archive; the current one parsed. */
  static final class Timelines {
    private Timelines() {}

    static TimelineHistory store(Connection replication, WalArchive archive, int timeline) throws SQLException {
      TimelineHistory current = TimelineHistory.none(timeline);
      for (int tli = 2; tli <= timeline; tli++) {
        byte[] content;
        try (Statement st = replication.createStatement();
             ResultSet rs = st.executeQuery("TIMELINE_HISTORY " + tli)) {
          rs.next();
          content = rs.getBytes(2);
        }
        archive.storeHistory(WalNames.historyName(tli), content);
        if (tli == timeline) {
          current = TimelineHistory.parse(timeline, content);
        }
      }
      return current;
    }
  }
}
