package lifeboat.workflows.failover;

/**
 * @param method         pg_rewind or pg_basebackup
 * @param dataDir        the rebuilt data directory
 * @param rewindRefused  why pg_rewind could not be used (when the fallback ran), else null
 * @param inRecovery     the restarted server answers as a standby
 * @param elapsedMillis  the whole rebuild
 * @param message        what happened, for the timeline
 */
public record RebuildResult(String method, String dataDir, String rewindRefused, boolean inRecovery,
    long elapsedMillis, String message) {}
