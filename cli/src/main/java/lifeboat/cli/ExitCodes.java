package lifeboat.cli;

/** What `lifeboat` exits with, so scripts and monitors can tell failures apart. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The workflow or step ran and failed (a backup that failed, a corrupt object). */
  public static final int FAILED = 1;
  /**
   * `lifeboat check` found an alarm. Same value as {@link #FAILED}: for cron and Nagios-style monitors
   * 0 is OK, 1 WARNING/alarm, 2 a broken command line, 3 UNKNOWN (the check could not run).
   */
  public static final int ALARM = 1;
  /** The command line or the configuration is wrong: nothing was started. */
  public static final int INVALID_INPUT = 2;
  /** Something that should be there is not: the Temporal server is unreachable, a workflow is unknown. */
  public static final int UNEXPECTED_STATE = 3;

  private ExitCodes() {}
}
