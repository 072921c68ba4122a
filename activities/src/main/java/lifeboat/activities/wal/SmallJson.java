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
 * The archive's small plain JSON files beside its objects (archive.json, follow.json): read whole, written by
 * an atomic commit. Unknown fields are ignored, so a file written by a newer worker still reads.
 */
final class SmallJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SmallJson() {}

  /** The file's content, or null when there is none; an unreadable one is CORRUPT_BACKUP with {@code hint}. */
  static <T> T read(Repository repo, String key, Class<T> type, String hint) {
    if (!repo.exists(key)) {
      return null;
    }
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, type);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, key + " is unreadable: " + e.getMessage(), hint);
    }
  }

  static void write(Repository repo, String key, Object value) {
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(JSON.writeValueAsBytes(value));
      out.commit();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "cannot write " + repo.locate(key) + ": "
          + e.getMessage(), "retried");
    }
  }
}
