package lifeboat.workflows.runbook;

/**
 * How the failover workflow decides the primary is gone: {@code attempts} probes spread over {@code window},
 * each failing after {@code timeout}. Every probe must fail; one answer means "primary recovered: no failover".
 *
 * <pre>
 * probe: { attempts: 3, window: 30s, timeout: 3s }
 * </pre>
 */
public record ProbeSettings(Integer attempts, String window, String timeout) {
  public static final ProbeSettings DEFAULT = new ProbeSettings(3, "30s", "3s");

  public ProbeSettings withDefaults() {
    return new ProbeSettings(attempts == null ? DEFAULT.attempts : attempts,
        window == null ? DEFAULT.window : window, timeout == null ? DEFAULT.timeout : timeout);
  }
}
