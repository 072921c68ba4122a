package lifeboat.workflows.model;

import java.util.List;

/**
 * A MariaDB point-in-time restore, planned before the target is touched: the dump it starts from and the binlog
 * that brings it forward to the moment asked for.
 *
 * @param backup         the newest verified dump that ended at or before {@code toTime}
 * @param startFile      the binlog file of the dump's snapshot
 * @param startPosition  the position in it (the dump holds everything before)
 * @param files          the archived binlog files to replay, from startFile on, consecutive
 * @param toTime         the moment asked for (ISO-8601); events stamped with its second or earlier are replayed
 * @param summary        what the plan found, in words
 */
public record BinlogReplayPlan(BackupManifest backup, String startFile, long startPosition, List<String> files,
    String toTime, String summary) {}
