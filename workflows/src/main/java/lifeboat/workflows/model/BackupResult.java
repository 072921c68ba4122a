package lifeboat.workflows.model;

/** Output of {@code BackupWorkflow}. */
public record BackupResult(
    String backupId, String database, long rawBytes, long storedBytes, long durationMillis, boolean verified,
    String location) {}
