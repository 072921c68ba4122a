package lifeboat.workflows.model;

/** Output of {@code RestoreWorkflow}: what was restored where, and what the post-restore check saw. */
public record RestoreResult(
    String backupId, String database, String target, long restoredBytes, long durationMillis, String check) {}
