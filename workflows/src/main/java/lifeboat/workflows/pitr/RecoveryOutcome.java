package lifeboat.workflows.pitr;

/**
 * Where recovery stopped, as the server says it.
 *
 * @param stoppedAt          the server log's "recovery stopping ..." line, or how it ended
 * @param lastTransactionAt  the commit time of the last transaction replayed (pg_last_xact_replay_timestamp),
 *                           or null when none was
 * @param replayedLsn        the last WAL position replayed
 * @param endOfArchive       the target lay past the last transaction in the archive: recovery ran to the
 *                           archive's end, which is the database as it was at the target
 */
public record RecoveryOutcome(String stoppedAt, String lastTransactionAt, String replayedLsn, boolean endOfArchive) {}
