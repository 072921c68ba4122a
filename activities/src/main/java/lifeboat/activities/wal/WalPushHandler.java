package lifeboat.activities.wal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongUnaryOperator;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /wal/<db>/<file name>}: one file pushed by PostgreSQL's archive_command (curl), stored through the
 * archive exactly as a streamed one is. The answer is what the archiver acts on: 200 only once the object is
 * committed to the repository (or the same content already was), anything else and PostgreSQL keeps the file
 * and pushes it again, so the status codes are the contract:
 *
 * <ul>
 *   <li>200 stored, or already stored with the same content;</li>
 *   <li>400 a name that is no WAL file, or a segment body of the wrong size; 413 a body too large;</li>
 *   <li>401 no or a wrong bearer token (compared in constant time), nothing read into the archive;</li>
 *   <li>409 other content under a name already stored (WAL_SEGMENT_CONFLICT);</li>
 *   <li>503 while the receiver stops, or when the repository failed (retried by the archiver).</li>
 * </ul>
 */
final class WalPushHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WalPushHandler.class);
  /** History and backup history files are a few hundred bytes; anything near this is no such file. */
  private static final int SMALL_FILE_LIMIT = 1 << 20;

  private final WalArchive archive;
  private final String database;
  private final byte[] expectedAuthorization;
  private final long segmentSize;
  private final AtomicBoolean stopping;
  private final LongUnaryOperator serverFlushLsn;
  private final String systemIdentifier;
  private ArchiveState state;
  /** The newest timeline history pushed while this step runs, or null. */
  private TimelineHistory newestHistory;
  private int segmentsStored;

  /**
   * @param state           archive.json as the step found it, or null when nothing is archived yet
   * @param serverFlushLsn  the server's flush position for archive.json's lag, given the end just stored (the
   *                        fallback when the server cannot be asked)
   */
  WalPushHandler(WalArchive archive, String database, String token, long segmentSize, String systemIdentifier,
      ArchiveState state, AtomicBoolean stopping, LongUnaryOperator serverFlushLsn) {
    this.archive = archive;
    this.database = database;
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.segmentSize = segmentSize;
    this.systemIdentifier = systemIdentifier;
    this.state = state;
    this.stopping = stopping;
    this.serverFlushLsn = serverFlushLsn;
  }

  synchronized int segmentsStored() {
    return segmentsStored;
  }

  synchronized ArchiveState state() {
    return state;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      InputStream body = exchange.getRequestBody();
      String path = exchange.getRequestURI().getRawPath();
      if (stopping.get()) {
        reply(exchange, body, 503, "the WAL receiver of " + database + " is stopping: push again");
        return;
      }
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, body, 401, "no or a wrong bearer token (wal.token of " + database + ")");
        return;
      }
      if (!exchange.getRequestMethod().equals("PUT")) {
        reply(exchange, body, 405, "only PUT /wal/" + database + "/<WAL file name>");
        return;
      }
      String prefix = "/wal/" + database + "/";
      Optional<PushedName> name = path.startsWith(prefix) ? PushedName.of(path.substring(prefix.length()))
          : Optional.empty();
      if (name.isEmpty() || !canonical(name.get())) {
        reply(exchange, body, 400, "not PUT /wal/" + database + "/<WAL file name>: " + path);
        return;
      }
      long limit = name.get().segmentSized() ? segmentSize : SMALL_FILE_LIMIT;
      String declared = exchange.getRequestHeaders().getFirst("Content-Length");
      if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > limit) {
        reply(exchange, body, 413, name.get().name() + " has " + declared + " bytes; at most " + limit);
        return;
      }
      byte[] content = body.readNBytes(Math.toIntExact(limit) + 1);
      if (content.length > limit) {
        reply(exchange, body, 413, name.get().name() + " has more than " + limit + " bytes");
      } else if (name.get().segmentSized() && content.length != segmentSize) {
        reply(exchange, body, 400, name.get().name() + " has " + content.length + " bytes, not one segment ("
            + segmentSize + "): a truncated push");
      } else {
        store(exchange, body, name.get(), content);
      }
    } catch (RuntimeException e) {
      LOG.warn("WAL push to {} failed", database, e);
      throw e;
    }
  }

  /** The segment name as this cluster's segment size spells it (the low part below the segments per log). */
  private boolean canonical(PushedName name) {
    return name.segment() == null
        || WalNames.parse(name.segment(), segmentSize).name(segmentSize).equals(name.segment());
  }

  private boolean authorized(String header) {
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expectedAuthorization, given); // constant time for a given length
  }

  private void store(HttpExchange exchange, InputStream body, PushedName name, byte[] content) throws IOException {
    try {
      String answer = switch (name.kind()) {
        case SEGMENT -> storeSegment(name.segment(), content);
        case PARTIAL -> {
          // The old timeline's last segment: recovery on that timeline may replay into it. It is kept whole
          // (zeros after the switch point), as the partial form of its segment.
          archive.storePartial(name.segment(), content, content.length);
          yield "stored";
        }
        case HISTORY, BACKUP -> {
          archive.storeHistory(name.name(), content); // both never change once written
          if (name.kind() == PushedName.Kind.HISTORY) {
            learnHistory(name.name(), content);
          }
          yield "stored";
        }
      };
      reply(exchange, body, 200, answer + " " + name.name());
    } catch (LifeboatException e) {
      boolean conflict = e.code() == ErrorCode.WAL_SEGMENT_CONFLICT;
      LOG.warn("WAL push {} to {} refused: {}", name.name(), database, e.userMessage());
      reply(exchange, body, conflict ? 409 : 503, e.userMessage());
    }
  }

  private String storeSegment(String name, byte[] content) {
    WalArchive.Stored stored = archive.storeSegment(name, content, content.length);
    recordArchived(WalNames.parse(name, segmentSize), name, stored == WalArchive.Stored.STORED);
    return stored == WalArchive.Stored.STORED ? "stored" : "already stored";
  }

  /**
   * A promoted server pushes its new timeline's history file before any segment of it: its switches go into
   * archive.json with the timeline, so `wal status` counts gaps along the history as for a streamed archive.
   */
  private synchronized void learnHistory(String fileName, byte[] content) {
    int timeline = Integer.parseInt(fileName.substring(0, 8), 16);
    if (newestHistory == null || timeline > newestHistory.current()) {
      newestHistory = TimelineHistory.parse(timeline, content);
    }
  }

  /** The switches before {@code timeline}, as its history file (pushed or recorded) tells them. */
  private List<TimelineHistory.Switch> switchesBefore(int timeline) {
    if (newestHistory != null && newestHistory.current() >= timeline) {
      return newestHistory.upTo(timeline).switches();
    }
    return state == null ? List.of() : state.history().upTo(timeline).switches();
  }

  /** archive.json as the streamer keeps it: the first segment, and the end of the newest one stored, and when. */
  private synchronized void recordArchived(WalNames.Segment segment, String name, boolean added) {
    segmentsStored += added ? 1 : 0;
    long end = segment.startLsn(segmentSize) + segmentSize;
    long now = System.currentTimeMillis();
    if (state == null || state.firstSegment() == null) {
      state = new ArchiveState(systemIdentifier, segmentSize, segment.timeline(), null, name, now, end, now,
          serverFlushLsn.applyAsLong(end), switchesBefore(segment.timeline()), List.of());
    } else if (segment.timeline() > state.timeline()
        || (segment.timeline() == state.timeline() && end > state.archivedLsn())) {
      state = new ArchiveState(state.systemIdentifier(), segmentSize, segment.timeline(), state.slot(),
          state.firstSegment(), state.firstStoredAtMillis(), end, now, serverFlushLsn.applyAsLong(end),
          switchesBefore(segment.timeline()), List.of());
    } else {
      return; // an older segment pushed again: the archive reached further already
    }
    state.write(archive.repository(), database);
  }

  /**
   * Answers in plain text. What is left of the body is read first (up to a segment and a bit), so curl sees the
   * status, not a reset connection; a client sending more is cut off.
   */
  private void reply(HttpExchange exchange, InputStream body, int status, String text) throws IOException {
    byte[] sink = new byte[1 << 16];
    for (long left = segmentSize + SMALL_FILE_LIMIT; left > 0; ) {
      int n = body.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        break;
      }
      left -= n;
    }
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
