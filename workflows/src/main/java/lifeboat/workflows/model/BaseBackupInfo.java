package lifeboat.workflows.model;

/**
 * What a base backup's manifest adds: where its WAL starts and ends, so a restore to a moment knows which base
 * backup can reach it and which WAL it needs (LSNs as PostgreSQL writes them).
 *
 * @param startLsn      the backup's start (backup_label's START WAL LOCATION): recovery replays from here
 * @param stopLsn       its end (backup_manifest's WAL-Ranges End-LSN): the earliest moment it restores to
 * @param timeline      the timeline it was taken on
 * @param startSegment  the first WAL segment it needs
 * @param walIncluded   whether its WAL is inside it (no archive: pg_basebackup -X fetch); else the archive has it
 * @param pgManifest    what was checked against PostgreSQL's backup_manifest while it streamed
 */
public record BaseBackupInfo(String startLsn, String stopLsn, int timeline, String startSegment, boolean walIncluded,
    String pgManifest) {}
