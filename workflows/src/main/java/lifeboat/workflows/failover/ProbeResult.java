package lifeboat.workflows.failover;

/**
 * One probe of one server. An unreachable server is a result, not a failure: the workflow counts them.
 *
 * @param url              the server probed (no password)
 * @param reachable        it answered a query within the timeout
 * @param inRecovery       pg_is_in_recovery(): true on a standby; null when unreachable
 * @param timelineId       the server's timeline (latest checkpoint's on a standby); null when unknown
 * @param currentLsn       primary: pg_current_wal_lsn(); null on a standby
 * @param receiveLsn       standby: pg_last_wal_receive_lsn()
 * @param replayLsn        standby: pg_last_wal_replay_lsn()
 * @param replayLagBytes   standby: received but not yet replayed, in bytes
 * @param replayDelaySeconds standby: now() minus the last replayed transaction's commit time (grows when the
 *                         primary is idle, too); null before any replay
 * @param walReceiverStatus standby: pg_stat_wal_receiver.status ("streaming"), null without a receiver
 * @param serverTimeMillis the server's clock
 * @param probedAtMillis   the worker's clock when the probe started
 * @param elapsedMillis    how long the probe took
 * @param error            why it was unreachable (redacted), else null
 */
public record ProbeResult(
    String url,
    boolean reachable,
    Boolean inRecovery,
    Long timelineId,
    String currentLsn,
    String receiveLsn,
    String replayLsn,
    Long replayLagBytes,
    Double replayDelaySeconds,
    String walReceiverStatus,
    Long serverTimeMillis,
    long probedAtMillis,
    long elapsedMillis,
    String error) {

  public static ProbeResult unreachable(String url, long probedAt, long elapsed, String error) {
    return new ProbeResult(url, false, null, null, null, null, null, null, null, null, null, probedAt, elapsed,
        error);
  }
}
