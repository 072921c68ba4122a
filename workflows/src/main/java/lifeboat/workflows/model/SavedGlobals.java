package lifeboat.workflows.model;

/**
 * The server-wide objects saved beside a PostgreSQL backup: {@code pg_dumpall --globals-only} (roles, role
 * memberships and settings, tablespaces), stored through the same zstd + OpenPGP pipeline as the data. A fresh
 * cluster lacks the source's roles, so a restore's owners and grants need these first.
 *
 * @param objectKey    key of the stored globals object, beside the data object
 * @param rawBytes     bytes pg_dumpall wrote
 * @param storedBytes  bytes stored after compression and encryption
 * @param sha256       hex SHA-256 of the stored bytes
 * @param source       how they were read, e.g. "pg_dumpall --globals-only" or, for a user that is not a
 *                     superuser, "pg_dumpall --globals-only --no-role-passwords" (roles restored without passwords)
 */
public record SavedGlobals(String objectKey, long rawBytes, long storedBytes, String sha256, String source) {

  public static final String FULL = "pg_dumpall --globals-only";
  public static final String NO_PASSWORDS = "pg_dumpall --globals-only --no-role-passwords";

  public boolean withoutPasswords() {
    return NO_PASSWORDS.equals(source);
  }
}
