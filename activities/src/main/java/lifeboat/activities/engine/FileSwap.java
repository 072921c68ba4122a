package lifeboat.activities.engine;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * How a file engine (SQLite, DuckDB) puts a restored database in place: made and checked beside the target, then
 * renamed onto it, so the target is either untouched or the whole restored database, never half of one.
 */
final class FileSwap {
  private FileSwap() {}

  /**
   * Removes the target's stale companions first (a WAL beside the old file would be replayed into the new one),
   * then renames {@code staged} onto {@code target}, atomically where the file system can.
   */
  static void replace(Path staged, Path target, List<String> companionSuffixes) throws IOException {
    for (String suffix : companionSuffixes) {
      Files.deleteIfExists(Path.of(target + suffix));
    }
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
