package lifeboat.activities.crypto;

import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * One recipient of a backup: the subkey that actually encrypts, plus the primary key's fingerprint and user id,
 * which is what a user recognizes ({@code gpg --list-keys} shows the primary fingerprint, not the subkey's).
 */
public record RecipientKey(PGPPublicKey encryptionKey, String fingerprint, String userId) {}
