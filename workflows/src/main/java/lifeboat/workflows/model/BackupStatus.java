package lifeboat.workflows.model;

import java.util.List;

/**
 * What a check reads about one database: its heartbeat (null when none was written) and its newest verified
 * backups, newest first (at most two: the newest and the one before it, for the size comparison).
 */
public record BackupStatus(String database, BackupHeartbeat heartbeat, List<BackupHeartbeat> newestVerified) {}
