package lifeboat.activities.drill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.LifeboatConfig.DatabaseConfig;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.HostQueue;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * Throwaway targets whose drill workflow is gone, removed when a worker starts. A drill's own teardown removes
 * its target, but only while its workflow lives: a `lifeboat dev` on the in-memory server stopped mid-drill
 * takes the workflow with it, and the cluster would run, with its data, for ever.
 *
 * <p>Only what this worker can reach and is sure of: entries of its namespace naming the drill workflow, whose
 * target is on this host (a cluster or file polled by this host's queue) or on a drill server; and only when
 * Temporal says that workflow is closed or does not know it. A running drill tears down its own target.
 */
public final class OrphanedDrillTargets {
  /** What Temporal says of a drill workflow. */
  public interface WorkflowStates {
    /**
     * Null while the workflow runs; else why it is gone ("failed", "not known to Temporal"). Throws when
     * Temporal cannot answer: then nothing is removed.
     */
    String goneBecause(String workflowId);
  }

  private final Workspace workspace;
  private final ThrowawayTargets targets;

  public OrphanedDrillTargets(Workspace workspace) {
    this(workspace, DrillPlaces.standard().folder());
  }

  /** @param drillFolder this worker's drill folder (tests use their own) */
  public OrphanedDrillTargets(Workspace workspace, Path drillFolder) {
    this.workspace = workspace;
    this.targets = new ThrowawayTargets(new DrillPlaces(drillFolder));
  }

  /** Removes every orphaned target; one line per target it removed, or failed or did not dare to remove. */
  public List<String> remove(String namespace, WorkflowStates states) {
    Config cfg = workspace.config();
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, DatabaseConfig> db : cfg.databases().entrySet()) {
      List<DrillTargetLedger.Entry> entries;
      Repository repo;
      try {
        repo = workspace.repository(cfg, db.getValue().repository());
        entries = DrillTargetLedger.entries(repo, db.getKey());
      } catch (RuntimeException e) {
        // a repository that cannot be listed now is looked at again at the next start; the worker still starts
        lines.add("could not look for drill targets of " + db.getKey() + " left by a gone drill: "
            + (e instanceof LifeboatException le ? le.userMessage() : e.toString()));
        continue;
      }
      for (DrillTargetLedger.Entry entry : entries) {
        if (ours(entry, namespace)) {
          String line = removeIfGone(cfg, repo, entry, states);
          if (line != null) {
            lines.add(line);
          }
        }
      }
    }
    return List.copyOf(lines);
  }

  private static boolean ours(DrillTargetLedger.Entry entry, String namespace) {
    ThrowawayTarget t = entry.target();
    return entry.workflowId() != null && Objects.equals(namespace, entry.namespace())
        && (ThrowawayTarget.SERVER.equals(t.kind()) || HostQueue.name().equals(t.taskQueue()));
  }

  /** Null when the drill still runs (its own teardown will come). */
  private String removeIfGone(Config cfg, Repository repo, DrillTargetLedger.Entry entry, WorkflowStates states) {
    ThrowawayTarget t = entry.target();
    String gone;
    try {
      gone = states.goneBecause(entry.workflowId());
    } catch (RuntimeException e) {
      return "left drill target " + t.describe() + " of workflow " + entry.workflowId() + " alone: Temporal could"
          + " not say whether it runs (" + e.getMessage() + ")";
    }
    if (gone == null) {
      return null;
    }
    String why = "its drill workflow " + entry.workflowId() + " is " + gone;
    try {
      return "removed drill target " + t.describe() + ": " + why + " (" + targets.teardown(cfg, repo, t) + ")";
    } catch (LifeboatException e) {
      return "could not remove drill target " + t.describe() + " although " + why + ": " + e.userMessage();
    } catch (RuntimeException e) {
      return "could not remove drill target " + t.describe() + " although " + why + ": " + e;
    }
  }
}
