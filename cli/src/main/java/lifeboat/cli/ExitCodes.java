package lifeboat.cli;

/** What `lifeboat` exits with, so scripts and monitors can tell failures apart. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The workflow or step ran and failed (a backup that failed, a corrupt object). */
  public static final int FAILED = 1;
  /** The command line or the configuration is wrong: nothing was started. */
  public static final int INVALID_INPUT = 2;
  /** Something that should be there is not: the Temporal server is unreachable, a workflow is unknown. */
  public static final int UNEXPECTED_STATE = 3;

  private ExitCodes() {}
}
