package lifeboat.activities.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository contract on a real temp folder, and what only a folder does (partial files, empty folders). */
class FilesystemRepositoryTest extends RepositoryContractTest {
  @TempDir Path root;

  @Override
  Repository newRepository() {
    return new FilesystemRepository(root);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  private String key(Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  @Override
  List<String> storedObjects() throws IOException {
    return files().stream().map(this::key).filter(k -> !k.contains(FilesystemRepository.PARTIAL)).sorted().toList();
  }

  @Override
  List<String> pendingWrites() throws IOException {
    return files().stream().map(this::key).filter(k -> k.contains(FilesystemRepository.PARTIAL))
        .map(k -> k.substring(0, k.indexOf(FilesystemRepository.PARTIAL))).sorted().toList();
  }

  @Override
  int bytesToLeaveATrace() {
    return 1024 * 1024; // a partial file appears at once; this size only makes the large write large
  }

  @Override
  String expectedLocation(String key) {
    return root.resolve(key).toString();
  }

  private List<Path> partials() throws IOException {
    return files().stream().filter(p -> p.getFileName().toString().contains(FilesystemRepository.PARTIAL)).toList();
  }

  @Test
  void removePrunesEmptyFoldersButKeepsTheRoot() throws IOException {
    String other = "backups/app/20240102T000000Z-2/manifest.json";
    put(KEY, "data");
    put(other, "{}");
    repo.remove(KEY);
    assertFalse(Files.exists(root.resolve("backups/app/20240101T000000Z-1")), "empty backup folder pruned");
    assertTrue(Files.isDirectory(root.resolve("backups/app")), "still holds another backup");
    repo.remove(other);
    assertFalse(Files.exists(root.resolve("backups")));
    assertTrue(Files.isDirectory(root), "the root itself stays");
  }

  @Test
  void removeAbandonedWritesRemovesOnlyOldPartials() throws IOException {
    String oldKey = "backups/app/20240101T000000Z-1/data.zst.pgp";
    String newKey = "backups/app/20240102T000000Z-2/data.zst.pgp";
    String doneKey = "backups/app/20230101T000000Z-0/data.zst.pgp";
    put(doneKey, "committed long ago");
    Files.setLastModifiedTime(root.resolve(doneKey), FileTime.from(Instant.now().minus(Duration.ofDays(400))));
    Repository.PendingWrite abandoned = repo.write(oldKey);
    abandoned.write(bytes("old"));
    abandoned.flush();
    Path oldPartial = partials().get(0);
    Files.setLastModifiedTime(oldPartial, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    Repository.PendingWrite running = repo.write(newKey);
    running.write(bytes("in progress"));
    running.flush();

    repo.removeAbandonedWrites("backups/app/", Duration.ofHours(48));

    assertFalse(Files.exists(oldPartial));
    assertFalse(Files.exists(oldPartial.getParent()), "its emptied folder is pruned");
    assertEquals(List.of(newKey), pendingWrites(), "the recent write is left alone");
    assertEquals("committed long ago", get(doneKey), "committed objects are never touched, however old");

    running.commit();
    running.close();
    assertEquals("in progress", get(newKey));
  }

  @Test
  void nothingIsWrittenOutsideTheRoot() {
    Path outside = root.resolveSibling(root.getFileName() + "-outside");
    String key = "../" + outside.getFileName() + "/x";
    RepositoryContractTest.assertOutside(() -> repo.write(key));
    assertFalse(Files.exists(outside));
  }
}
