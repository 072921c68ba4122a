package lifeboat.workflows.model;

import java.util.List;

/**
 * A repository listing for retention: the backups, newest first, and what makes the listing untrustworthy.
 * Retention deletes only on a listing with no problems.
 *
 * @param problems  unreadable manifests, a listing shorter than the previous run left, ... (empty: complete)
 */
public record BackupListing(List<BackupManifest> backups, List<String> problems) {

  public boolean complete() {
    return problems.isEmpty();
  }
}
