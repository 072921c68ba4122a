package lifeboat.workflows;

import java.util.Locale;

/**
 * The task queue every Lifeboat worker polls (the CLI starts workflows on it), and one queue per host: steps
 * that touch something only one machine has (a drill's throwaway cluster or SQLite file in its temp folder)
 * are sent there, so any worker on that host, the one that made it or its replacement, runs them.
 */
public final class TaskQueues {
  public static final String LIFEBOAT = "lifeboat";
  private static final String HOST_PREFIX = "lifeboat-host-";

  private TaskQueues() {}

  /** {@code lifeboat-host-db-worker-1} for host db-worker-1. */
  public static String host(String hostname) {
    return HOST_PREFIX + hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}
