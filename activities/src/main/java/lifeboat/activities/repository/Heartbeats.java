package lifeboat.activities.repository;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.BackupHeartbeat;

/**
 * {@code heartbeat/<database>.json}: the newest verified backup of a database in one small file, rewritten
 * after every published manifest. Monitors that cannot run Lifeboat can read it (e.g. `jq .time`).
 */
public final class Heartbeats {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Heartbeats() {}

  public static String key(String database) {
    return "heartbeat/" + database + ".json";
  }

  public static void write(Repository repo, BackupHeartbeat heartbeat) {
    try (Repository.PendingWrite out = repo.write(key(heartbeat.database()))) {
      out.write(JSON.writeValueAsBytes(heartbeat));
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The database's heartbeat, or null when none was written yet. */
  public static BackupHeartbeat read(Repository repo, String database) {
    String key = key(database);
    if (!repo.exists(key)) {
      return null;
    }
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, BackupHeartbeat.class);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "heartbeat " + key + " is unreadable: " + e.getMessage(),
          "delete it: the next backup writes it again");
    }
  }
}
