package lifeboat.activities.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temp folders a step stages files in (DuckDB's export, the binary log being archived), named
 * {@code <prefix><worker pid>-<random>} so that a folder a killed worker left behind is recognised by the next
 * step on the machine (its process is gone) and removed, while a running worker's is left alone.
 */
public final class StagingFolders {
  private StagingFolders() {}

  /** A new folder under {@code root}, after removing the abandoned ones of the same prefix. */
  public static Path create(Path root, String prefix) throws IOException {
    sweepAbandoned(root, prefix);
    Files.createDirectories(root);
    return Files.createTempDirectory(root, prefix + ProcessHandle.current().pid() + "-");
  }

  /** Removes the folders of {@code prefix} whose worker process is no longer alive. */
  public static void sweepAbandoned(Path root, String prefix) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> all = Files.list(root)) {
      all.filter(p -> p.getFileName().toString().startsWith(prefix)).filter(p -> ownerGone(p, prefix))
          .forEach(StagingFolders::deleteTree);
    } catch (IOException ignored) {
      // best effort: the next step tries again
    }
  }

  private static boolean ownerGone(Path folder, String prefix) {
    String rest = folder.getFileName().toString().substring(prefix.length());
    int dash = rest.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false; // not named by us: left alone
    }
  }

  /** Total bytes of the regular files under {@code folder}. */
  public static long sizeOf(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      long total = 0;
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  /** Deletes a folder and everything in it, as far as it can; what is left is removed by the next sweep. */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // left for the next sweep
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }
}
