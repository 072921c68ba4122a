package lifeboat.activities.repository;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where backups live. Keys are relative, '/'-separated paths ({@code backups/app/<id>/manifest.json}).
 * Kept to the few operations every store can do, so S3 and a local folder serve the same callers.
 */
public interface Repository {

  boolean exists(String key);

  /** Keys under the prefix, recursively, sorted. */
  List<String> list(String prefix);

  InputStream read(String key);

  /**
   * Opens a write that becomes visible only on {@link PendingWrite#commit()}: a write that is closed without
   * commit (a crash, an exception) leaves nothing readable under the key.
   */
  PendingWrite write(String key);

  /**
   * Removes the key; absent keys are fine. A store that refuses because the object is locked (S3 Object Lock)
   * throws a {@link lifeboat.activities.errors.LifeboatException} with code {@code OBJECT_LOCKED}.
   */
  void remove(String key);

  /**
   * Removes writes under the prefix that were started more than {@code olderThan} ago and never committed
   * (a worker killed mid-write, a workflow terminated): partial files, or unfinished multipart uploads.
   */
  void removeAbandonedWrites(String prefix, java.time.Duration olderThan);

  /** Where the key is, for humans: a path or a URL. */
  String locate(String key);

  /**
   * Until when the stored object may not be deleted (S3 Object Lock retention in GOVERNANCE or COMPLIANCE
   * mode), or empty when it may be deleted now. Retention must skip an object that {@link #isLocked} says is
   * locked: deleting it fails on a bucket with Object Lock (or only hides it behind a delete marker), and the
   * lock exists precisely so that a compromised account cannot remove recent backups. A filesystem repository
   * has no locks.
   */
  default java.util.Optional<java.time.Instant> lockedUntil(String key) {
    return java.util.Optional.empty();
  }

  /** Whether {@link #lockedUntil} lies in the future: the object must not be deleted yet. */
  default boolean isLocked(String key) {
    return lockedUntil(key).filter(until -> until.isAfter(java.time.Instant.now())).isPresent();
  }

  /** The error for reading a key the repository does not hold. */
  static lifeboat.activities.errors.LifeboatException notFound(String key, String repository) {
    return new lifeboat.activities.errors.LifeboatException(lifeboat.activities.errors.ErrorCode.BACKUP_NOT_FOUND,
        "no object " + key + " in repository " + repository,
        "run `lifeboat backup list` to see what the repository holds");
  }

  /** A write in progress. */
  abstract class PendingWrite extends OutputStream {
    /** Makes the written bytes visible under the key, replacing what was there. */
    public abstract void commit();
  }
}
