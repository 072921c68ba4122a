package lifeboat.activities.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.pipeline.SealedObjects;
import lifeboat.activities.engine.Dump;
import lifeboat.activities.repository.OutOfSpace;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.model.BaseBackupInfo;

/**
 * A base backup streamed into the repository: pg_basebackup's tar → zstd → OpenPGP → one object, with every
 * file checked against PostgreSQL's backup_manifest on the way (sizes and CRC32C), and the start and stop of
 * its WAL read from backup_label and the manifest. A stream that does not match is never committed.
 */
public final class BaseBackups {
  static final String LABEL = "backup_label";
  static final String MANIFEST = "backup_manifest";

  private BaseBackups() {}

  /** What was stored, and what the manifest records of it. */
  public record Stored(SealedObjects.Sealed object, BaseBackupInfo info) {}

  public static Stored store(Dump dump, Repository repo, String key, java.util.List<lifeboat.activities.crypto.RecipientKey>
      recipients, int zstdLevel, Progress progress, boolean walIncluded, String database) {
    TarObserver tar = new TarObserver(dump.stream(), Set.of(LABEL, MANIFEST));
    BaseBackupInfo[] info = new BaseBackupInfo[1];
    try {
      SealedObjects.Sealed sealed = SealedObjects.store(tar, () -> {
        dump.finish(); // pg_basebackup's exit status first: a failed backup's tar may still look whole
        info[0] = check(tar, walIncluded, "the base backup of " + database);
      }, repo, key, recipients, zstdLevel, progress);
      return new Stored(sealed, info[0]);
    } catch (IOException e) {
      if (OutOfSpace.in(e)) {
        throw OutOfSpace.failure("writing " + key + " to the repository", repo.locate(key), e);
      }
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "base backup stream of " + database + " failed: "
          + e.getMessage(), "see the worker log; retried", e);
    }
  }

  /**
   * Reads a stored base backup's plain tar through, checking it against its backup_manifest again: what
   * VerifyBackup does with the private key. Returns what was checked, in words.
   */
  public static String verify(InputStream plainTar, String what) throws IOException {
    TarObserver tar = new TarObserver(plainTar, Set.of(LABEL, MANIFEST));
    byte[] buf = new byte[1 << 16];
    while (tar.read(buf) >= 0) {
      // the observer checks as it reads
    }
    return check(tar, true, what).pgManifest();
  }

  private static BaseBackupInfo check(TarObserver tar, boolean walIncluded, String what) {
    if (!tar.ended()) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, what + " is not a whole tar archive (no end marker)",
          "take the base backup again");
    }
    byte[] manifestBytes = tar.captured(MANIFEST);
    if (manifestBytes == null) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, what + " has no backup_manifest",
          "base backups need PostgreSQL 13 or later (pg_basebackup writes the manifest)");
    }
    PgBackupManifest manifest = PgBackupManifest.parse(manifestBytes);
    String checked = manifest.check(tar.files(), what);
    BackupLabel label = BackupLabel.parse(tar.captured(LABEL));
    PgBackupManifest.WalRange last = manifest.walRanges().get(manifest.walRanges().size() - 1);
    return new BaseBackupInfo(label.startLsn(), last.endLsn(), label.timeline(), label.startSegment(), walIncluded,
        checked);
  }
}
