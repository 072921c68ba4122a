package lifeboat.workflows.model;

import java.util.List;

/**
 * A database's backups as `backup list` shows them: those whose manifest reads, newest first, and those whose
 * manifest does not, each with its problem. One damaged manifest must not hide the others.
 */
public record BackupCatalog(List<BackupManifest> backups, List<Unreadable> unreadable) {

  /** A backup folder whose manifest.json cannot be read (damaged, edited by hand, truncated). */
  public record Unreadable(String backupId, String problem) {}
}
