package lifeboat.workflows.pitr;

/**
 * The canary rows a PITR drill wrote on the primary: the first before the target moment, the second after it;
 * then the first was deleted. A restore to the moment must hold the first and not the second.
 *
 * @param table           where they are ({@code lifeboat.pitr_canary} unless the runbook names one)
 * @param targetTime      the moment between the two commits, by the server's clock (ISO-8601)
 * @param secondLsn       the WAL position after the second commit: the archive must reach it before restoring
 * @param writtenAtMillis when the second commit was made (the server's clock), for the recovery point
 */
public record Canaries(String table, String firstId, String secondId, String targetTime, String secondLsn,
    long writtenAtMillis) {}
