package lifeboat.activities.backup;

import java.io.IOException;
import java.util.List;
import lifeboat.activities.crypto.RecipientKey;
import lifeboat.activities.engine.Dump;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.pipeline.SealedObjects;
import lifeboat.activities.repository.OutOfSpace;
import lifeboat.activities.repository.Repository;

/** One dump stored: tool output → zstd → OpenPGP (to the recipients; none = unencrypted) → repository. */
record StoredObject(long rawBytes, long storedBytes, String sha256) {

  /** Streams the whole dump into {@code key}, committed only when the dump tool ended well. */
  static StoredObject store(Dump dump, Repository repo, String key, List<RecipientKey> recipients, int zstdLevel,
      Progress progress, String database) {
    try {
      // Exit status before the commit: a dump tool that died half-way may still end its stream well-formed.
      SealedObjects.Sealed sealed = SealedObjects.store(dump.stream(), dump::finish, repo, key, recipients,
          zstdLevel, progress);
      return new StoredObject(sealed.rawBytes(), sealed.storedBytes(), sealed.storedSha256());
    } catch (IOException e) {
      if (OutOfSpace.in(e)) {
        // The repository's disk, not the dump: "see the worker log" would send people to the wrong place.
        throw OutOfSpace.failure("writing " + key + " to the repository", repo.locate(key), e);
      }
      throw new LifeboatException(ErrorCode.DUMP_FAILED,
          "backup stream of " + database + " failed: " + e.getMessage(), "see the worker log; retried", e);
    }
  }
}
