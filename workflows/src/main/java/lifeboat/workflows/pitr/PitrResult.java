package lifeboat.workflows.pitr;

import java.util.List;
import lifeboat.workflows.model.StepRecord;

/** A finished restore to a moment: what it used, where recovery stopped, and where the server runs. */
public record PitrResult(String database, String target, String backupId, String firstSegment, String lastSegment,
    int segmentsFetched, RecoveryOutcome outcome, String dir, int port, long durationMillis, List<StepRecord> steps) {}
