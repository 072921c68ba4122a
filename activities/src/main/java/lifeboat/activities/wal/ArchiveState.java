package lifeboat.activities.wal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;

/**
 * {@code wal/<db>/archive.json}: which cluster the archive holds and how far it reaches, rewritten after every
 * store. The objects themselves are the record (their names say what they hold); this file adds what names
 * cannot: the cluster's system identifier, and when the newest WAL was stored.
 *
 * @param systemIdentifier  the cluster's (IDENTIFY_SYSTEM): another cluster is refused
 * @param segmentSize       the cluster's wal_segment_size, in bytes
 * @param timeline          the timeline being archived
 * @param slot              the replication slot the archive streams from
 * @param firstSegment      the oldest segment stored, and when
 * @param archivedLsn       the end of the WAL stored so far (full segments and the newest partial one)
 * @param archivedAtMillis  when {@code archivedLsn} was stored
 * @param serverLsn         the server's newest WAL at that moment (its flush position), for the lag
 */
public record ArchiveState(String systemIdentifier, long segmentSize, int timeline, String slot, String firstSegment,
    long firstStoredAtMillis, long archivedLsn, long archivedAtMillis, long serverLsn) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static String key(String database) {
    return WalArchive.prefix(database) + "archive.json";
  }

  /** The archive's state, or null when nothing was archived yet. */
  public static ArchiveState read(Repository repo, String database) {
    String key = key(database);
    if (!repo.exists(key)) {
      return null;
    }
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, ArchiveState.class);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, key + " is unreadable: " + e.getMessage(),
          "the archive streams on and rewrites it; if it persists, check the repository");
    }
  }

  public void write(Repository repo, String database) {
    try (Repository.PendingWrite out = repo.write(key(database))) {
      out.write(JSON.writeValueAsBytes(this));
      out.commit();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "cannot write " + repo.locate(key(database)) + ": "
          + e.getMessage(), "retried");
    }
  }

  public ArchiveState archived(long lsn, long atMillis, long serverFlushLsn) {
    return new ArchiveState(systemIdentifier, segmentSize, timeline, slot, firstSegment, firstStoredAtMillis, lsn,
        atMillis, serverFlushLsn);
  }
}
