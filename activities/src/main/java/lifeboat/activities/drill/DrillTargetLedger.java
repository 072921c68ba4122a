package lifeboat.activities.drill;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * a report is a drill still running, or one whose workflow is gone (a `lifeboat dev` on the in-memory server
 * stopped mid-drill): the entry names the drill's workflow and namespace, so a starting worker can ask Temporal
 * ({@link OrphanedDrillTargets}).
 */
public final class DrillTargetLedger {
  // Tolerant on read: the entry is the target plus the workflow that owns it, and a newer Lifeboat may add more.
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String WORKFLOW_ID = "workflowId";
  private static final String NAMESPACE = "namespace";

  /**
   * One entry: the target, and the drill workflow that made it (both null in entries written before they were
   * recorded, and when the target was made outside a workflow).
   */
  record Entry(String key, ThrowawayTarget target, String workflowId, String namespace) {}

  private DrillTargetLedger() {}

  static String prefix(String database) {
    return "drill-targets/" + database + "/";
  }

  static String key(String database, String drillId) {
    return prefix(database) + drillId + ".json";
  }

  /** Before the target is created: from now on it may exist. {@code workflowId}: the drill's, or null. */
  static void opened(Repository repo, ThrowawayTarget planned, String workflowId, String namespace) {
    try {
      ObjectNode entry = JSON.valueToTree(planned);
      entry.put(WORKFLOW_ID, workflowId);
      entry.put(NAMESPACE, namespace);
      Repositories.putSmall(repo, key(planned.database(), planned.drillId()), JSON.writeValueAsBytes(entry));
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
    for (String key : keys(repo, database)) {
      String drillId = drillId(database, key);
      if (repo.exists(DrillReports.jsonKey(database, drillId))) {
        left.add("drill " + drillId + " is over but its throwaway target is still there: " + describe(repo, key)
            + "; remove it, then delete " + repo.locate(key));
      }
    }
    return List.copyOf(left);
  }

  /** Every readable entry of the database (an unreadable one is for `lifeboat check` to report, not to act on). */
  static List<Entry> entries(Repository repo, String database) {
    List<Entry> entries = new ArrayList<>();
    for (String key : keys(repo, database)) {
      try (InputStream in = repo.read(key)) {
        ObjectNode node = (ObjectNode) JSON.readTree(in);
        String workflowId = node.path(WORKFLOW_ID).textValue();
        String namespace = node.path(NAMESPACE).textValue();
        entries.add(new Entry(key, JSON.treeToValue(node, ThrowawayTarget.class), workflowId, namespace));
      } catch (IOException | RuntimeException e) {
        if (e instanceof LifeboatException le && le.code() == ErrorCode.STORAGE_FAILED) {
          throw le;
        }
      }
    }
    return List.copyOf(entries);
  }

  private static List<String> keys(Repository repo, String database) {
    return repo.list(prefix(database)).stream().filter(key -> {
      String rest = key.substring(prefix(database).length());
      return rest.endsWith(".json") && !rest.contains("/");
    }).toList();
  }

  private static String drillId(String database, String key) {
    String rest = key.substring(prefix(database).length());
    return rest.substring(0, rest.length() - ".json".length());
  }

  private static String describe(Repository repo, String key) {
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, ThrowawayTarget.class).describe();
    } catch (IOException | RuntimeException e) {
      return "(its record " + key + " is unreadable: " + e.getMessage() + ")";
    }
  }
}
