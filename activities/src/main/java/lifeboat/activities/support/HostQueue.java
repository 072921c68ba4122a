package lifeboat.activities.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import lifeboat.workflows.TaskQueues;

/** This machine's task queue (TaskQueues.host): the worker polls it, drill activities name it in their plans. */
public final class HostQueue {
  private static final String NAME = TaskQueues.host(hostname());

  private HostQueue() {}

  public static String name() {
    return NAME;
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
