package lifeboat.activities.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repositories;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * Which drill targets may still exist, in the database's repository (where any worker, and `lifeboat check`,
 * can see them, whichever host the target is on): {@code drill-targets/<database>/<drillId>.json}, the planned
 * target, written before the target is created and removed only once its teardown succeeded.
 *
 * <p>A leftover is an entry whose drill has written its report ({@code drills/<database>/<drillId>.json}, the
 * drill's last write, after the teardown): that drill is over and its target was not removed. An entry without
 * a report is a drill still running.
 */
public final class DrillTargetLedger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DrillTargetLedger() {}

  static String prefix(String database) {
    return "drill-targets/" + database + "/";
  }

  static String key(String database, String drillId) {
    return prefix(database) + drillId + ".json";
  }

  /** Before the target is created: from now on it may exist. */
  static void opened(Repository repo, ThrowawayTarget planned) {
    try {
      Repositories.putSmall(repo, key(planned.database(), planned.drillId()), JSON.writeValueAsBytes(planned));
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.STORAGE_FAILED, "cannot record drill target " + planned.name() + ": "
          + e.getMessage(), "retried; check the repository", e);
    }
  }

  /** After a teardown that succeeded (or found nothing to remove): nothing of it is left. Idempotent. */
  static void closed(Repository repo, ThrowawayTarget planned) {
    String key = key(planned.database(), planned.drillId());
    if (repo.exists(key)) {
      repo.remove(key);
    }
  }

  /** One line per target a finished drill left behind, naming it and what to do. */
  public static List<String> leftovers(Repository repo, String database) {
    List<String> left = new ArrayList<>();
    for (String key : repo.list(prefix(database))) {
      String rest = key.substring(prefix(database).length());
      if (!rest.endsWith(".json") || rest.contains("/")) {
        continue;
      }
      String drillId = rest.substring(0, rest.length() - ".json".length());
      if (repo.exists(DrillReports.jsonKey(database, drillId))) {
        left.add("drill " + drillId + " is over but its throwaway target is still there: " + describe(repo, key)
            + "; remove it, then delete " + repo.locate(key));
      }
    }
    return List.copyOf(left);
  }

  private static String describe(Repository repo, String key) {
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, ThrowawayTarget.class).describe();
    } catch (IOException | RuntimeException e) {
      return "(its record " + key + " is unreadable: " + e.getMessage() + ")";
    }
  }
}
