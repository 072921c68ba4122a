package lifeboat.workflows.model;

/**
 * How far one run of the WAL stream got (a run streams for a while, then the workflow starts the next).
 *
 * @param startLsn        where the run started: the start of the oldest segment the slot still held
 * @param archivedLsn     the end of the WAL stored when it returned
 * @param segmentsStored  full segments it stored
 * @param partialsStored  partial objects it stored (one per partialEvery while WAL came in)
 */
public record WalStreamResult(String startLsn, String archivedLsn, int timeline, int segmentsStored,
    int partialsStored) {}
