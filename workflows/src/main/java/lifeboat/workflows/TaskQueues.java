package lifeboat.workflows;

/** The one task queue every Lifeboat worker polls; the CLI starts workflows on it. */
public final class TaskQueues {
  public static final String LIFEBOAT = "lifeboat";

  private TaskQueues() {}
}
