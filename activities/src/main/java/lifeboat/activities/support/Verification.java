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
import lifeboat.activities.pipeline.Streams;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.SavedGlobals;
import lifeboat.workflows.model.Verifications;

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
          inspected = manifest.baseBackup()
              ? lifeboat.activities.base.BaseBackups.verify(Compression.decompress(plain),
                  "base backup " + manifest.backupId())
              : engine.inspect(Compression.decompress(plain));
        } catch (LifeboatException | IOException e) {
          // A damaged object is reported as what it is: a checksum mismatch, not a decryption error.
          in.drain();
          requireMatch(manifest, in);
          throw e instanceof IOException io ? readFailure(manifest, io) : (LifeboatException) e;
        }
      }
      in.drain();
      requireMatch(manifest, in);
      String globals = manifest.globals() == null ? "" : "; globals " + verifyGlobals(cfg, repo, manifest, inspect);
      return (inspected == null ? Verifications.CHECKSUM_ONLY : "sha256 ok; " + inspected) + globals;
    } catch (IOException e) {
      throw readFailure(manifest, e);
    }
  }

  /** Checks the globals object's SHA-256 (they are restored only after this); throws on a mismatch. */
  public static void globalsChecksum(Repository repo, BackupManifest manifest) {
    SavedGlobals g = manifest.globals();
    try (HashingInputStream in = new HashingInputStream(repo.read(g.objectKey()), Progress.none())) {
      in.drain();
      requireMatch(manifest, "globals object " + g.objectKey(), in, g.storedBytes(), g.sha256());
    } catch (IOException e) {
      throw readFailure(manifest, e);
    }
  }

  /**
   * The globals are a small SQL script: their checksum, and where this worker can decrypt, a full read
   * through OpenPGP (whose integrity check fails on any damage) and zstd.
   */
  private static String verifyGlobals(Config cfg, Repository repo, BackupManifest manifest, boolean decrypt)
      throws IOException {
    globalsChecksum(repo, manifest);
    if (!decrypt) {
      return "sha256 ok";
    }
    try (InputStream stored = repo.read(manifest.globals().objectKey());
         InputStream sql = Compression.decompress(
             "none".equals(manifest.encryption()) ? stored : Keys.decrypt(cfg, stored))) {
      long bytes = Streams.skipByReading(sql, Long.MAX_VALUE);
      return "sha256 ok, " + bytes + " bytes of SQL (" + manifest.globals().source() + ")";
    }
  }

  private static void requireMatch(BackupManifest manifest, HashingInputStream in) {
    requireMatch(manifest, "stored object", in, manifest.storedBytes(), manifest.sha256());
  }

  private static void requireMatch(BackupManifest manifest, String what, HashingInputStream in, long bytes,
      String sha256) {
    String actual = in.sha256();
    if (in.count() != bytes || !actual.equals(sha256)) {
      throw new LifeboatException(ErrorCode.CHECKSUM_MISMATCH,
          "backup " + manifest.backupId() + " is corrupt: " + what + " has " + in.count() + " bytes, sha256 "
              + actual + "; manifest says " + bytes + " bytes, sha256 " + sha256,
          "nothing was restored; restore an older backup and check the repository's storage");
    }
  }

  private static LifeboatException readFailure(BackupManifest manifest, IOException e) {
    return new LifeboatException(ErrorCode.CORRUPT_BACKUP,
        "backup " + manifest.backupId() + " cannot be read back: " + e.getMessage(),
        "restore an older backup and check the repository's storage");
  }
}
