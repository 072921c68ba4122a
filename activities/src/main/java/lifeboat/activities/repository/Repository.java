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

  /** A write in progress. */
  abstract class PendingWrite extends OutputStream {
    /** Makes the written bytes visible under the key, replacing what was there. */
    public abstract void commit();
  }
}
