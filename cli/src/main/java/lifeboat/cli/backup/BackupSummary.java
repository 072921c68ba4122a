package lifeboat.cli.backup;

import lifeboat.cli.Format;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.model.Verifications;

/** A finished backup in words, as `backup run --wait` and `status` print it. */
public final class BackupSummary {
  private BackupSummary() {}

  public static String text(BackupResult r) {
    return "backup " + r.backupId() + ": " + Format.bytes(r.rawBytes()) + " dumped, "
        + Format.bytes(r.storedBytes()) + " stored, " + Format.millis(r.durationMillis()) + ", "
        + Verifications.describe(r.verified(), r.verification()) + "\nstored at " + r.location();
  }
}
