package lifeboat.cli.backup;

import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.Verifications;

/** The VERIFIED column of `backup list`: a checksum-only verification is marked, and explained under the table. */
final class Verified {
  static final String CHECKSUM_FOOTNOTE = "checksum*: " + Verifications.CHECKSUM_ONLY;

  private Verified() {}

  static boolean checksumOnly(String verification) {
    return Verifications.checksumOnly(verification);
  }

  static String column(BackupManifest m) {
    return !m.verified() ? "no" : checksumOnly(m.verification()) ? "checksum*" : "yes";
  }
}
