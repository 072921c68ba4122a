package lifeboat.workflows.failover;

/**
 * What fencing the old primary achieved. {@code reachable == false}: nothing was done to it over SQL (the
 * command, when configured, still ran); the workflow records that and never repoints to it.
 *
 * @param url                the old primary
 * @param reachable          it answered over SQL
 * @param readOnly           default_transaction_read_only is now on there (checked by reading it back)
 * @param sessionsEnded      client sessions ended so no open session keeps writing
 * @param timelineId         its timeline when fenced (it diverges from the new primary's from here on)
 * @param inRecovery         it was itself in recovery (already a standby): null when unreachable
 * @param commandExitCode    the fence command's exit code; null when none is configured
 * @param commandOutput      its last output lines (redacted)
 * @param message            what was done, for the timeline
 */
public record FenceResult(
    String url,
    boolean reachable,
    boolean readOnly,
    int sessionsEnded,
    Long timelineId,
    Boolean inRecovery,
    Integer commandExitCode,
    String commandOutput,
    String message) {

  /** Some fence holds: writes refused over SQL, or the command succeeded. */
  public boolean fenced() {
    return readOnly || (commandExitCode != null && commandExitCode == 0);
  }
}
