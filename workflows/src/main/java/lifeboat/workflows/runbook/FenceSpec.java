package lifeboat.workflows.runbook;

/**
 * How a reachable old primary is fenced after the promotion. Over SQL alone a server cannot be stopped, so
 * {@code readOnly} makes it refuse writes by default ({@code ALTER SYSTEM SET default_transaction_read_only = on},
 * reload, and the end of every other client session); a {@code command} (e.g. stopping the service over ssh) is
 * the stronger fence and runs as well when given. See docs/failover.md for what neither guarantees.
 *
 * <pre>
 * fence: { readOnly: true, command: "ssh db1 sudo systemctl stop postgresql", timeout: 60s }
 * </pre>
 */
public record FenceSpec(Boolean readOnly, String command, String timeout) {
  public static final FenceSpec DEFAULT = new FenceSpec(true, null, "60s");

  public FenceSpec withDefaults() {
    return new FenceSpec(readOnly == null ? DEFAULT.readOnly : readOnly, command,
        timeout == null ? DEFAULT.timeout : timeout);
  }
}
