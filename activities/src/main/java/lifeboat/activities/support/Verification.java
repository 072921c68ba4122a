package lifeboat.activities.support;

import java.io.IOException;
import java.io.InputStream;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DatabaseEngine;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Compression;
import lifeboat.activities.pipeline.HashingInputStream;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.model.BackupManifest;

/** Reading a stored object back: its checksum, and where a key allows, its content. */
public final class Verification {
  private Verification() {}

  /** Streams the object once and compares its SHA-256 with the manifest's. */
  public static void checksum(Repository repo, BackupManifest manifest, Progress progress) {
    try (HashingInputStream in = new HashingInputStream(repo.read(manifest.objectKey()), progress)) {
      in.drain();
      requireMatch(manifest, in);
    } catch (IOException e) {
      throw readFailure(manifest, e);
    }
  }

  /**
   * One read of the object: its hash, and, when this worker can decrypt (or the backup is unencrypted), the
   * native dump checked by the engine (pg_restore -l, PRAGMA integrity_check).
   *
   * @return what was checked, in words, for the manifest
   */
  public static String verify(Config cfg, Repository repo, BackupManifest manifest, DatabaseEngine engine,
      Progress progress) {
    boolean encrypted = !"none".equals(manifest.encryption());
    boolean inspect = !encrypted || Keys.canDecrypt(cfg);
    try (HashingInputStream in = new HashingInputStream(repo.read(manifest.objectKey()), progress)) {
      String inspected = null;
      if (inspect) {
        try {
          InputStream plain = encrypted ? Keys.decrypt(cfg, in) : in;
          inspected = engine.inspect(Compression.decompress(plain));
        } catch (LifeboatException | IOException e) {
          // A damaged object is reported as what it is: a checksum mismatch, not a decryption error.
          in.drain();
          requireMatch(manifest, in);
          throw e instanceof IOException io ? readFailure(manifest, io) : (LifeboatException) e;
        }
      }
      in.drain();
      requireMatch(manifest, in);
      return "sha256 ok" + (inspected == null ? " (no private key here: content not checked)" : "; " + inspected);
    } catch (IOException e) {
      throw readFailure(manifest, e);
    }
  }

  private static void requireMatch(BackupManifest manifest, HashingInputStream in) {
    String actual = in.sha256();
    if (in.count() != manifest.storedBytes() || !actual.equals(manifest.sha256())) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "backup " + manifest.backupId() + " is corrupt: stored object has " + in.count() + " bytes, sha256 "
              + actual + "; manifest says " + manifest.storedBytes() + " bytes, sha256 " + manifest.sha256(),
          "nothing was restored; restore an older backup and check the repository's storage");
    }
  }

  private static LifeboatException readFailure(BackupManifest manifest, IOException e) {
    return new LifeboatException(ErrorCode.CORRUPT_BACKUP,
        "backup " + manifest.backupId() + " cannot be read back: " + e.getMessage(),
        "restore an older backup and check the repository's storage");
  }
}
