package lifeboat.workflows.model;

/**
 * How a backup's verification is worded where it matters: a worker without the private key can check the
 * stored object's checksum only, and "verified" alone would claim the dump inside was read back too.
 */
public final class Verifications {
  /** A manifest's verification when the content could not be checked. */
  public static final String CHECKSUM_ONLY = "checksum verified; content not checked: no private key on this worker";

  /** What manifests made before this wording said in that case. */
  private static final String OLD_CHECKSUM_ONLY = "(no private key here: content not checked)";

  private Verifications() {}

  /** Whether a manifest's (or a result's) verification checked the checksum but not the content. */
  public static boolean checksumOnly(String verification) {
    return verification != null
        && (verification.startsWith(CHECKSUM_ONLY) || verification.contains(OLD_CHECKSUM_ONLY));
  }

  /** "verified", or the checksum-only wording, or "NOT verified": what `backup run --wait` and `status` say. */
  public static String describe(boolean verified, String verification) {
    if (!verified) {
      return "NOT verified";
    }
    return checksumOnly(verification) ? CHECKSUM_ONLY : "verified";
  }
}
