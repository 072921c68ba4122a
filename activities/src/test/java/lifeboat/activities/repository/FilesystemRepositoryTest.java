package lifeboat.activities.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FilesystemRepository on a real temp folder. */
class FilesystemRepositoryTest {
  private static final String KEY = "backups/app/20240101T000000Z-1/data.zst.pgp";

  @TempDir Path root;
  FilesystemRepository repo;

  @BeforeEach
  void open() {
    repo = new FilesystemRepository(root);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void put(String key, String content) throws IOException {
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(bytes(content));
      out.commit();
    }
  }

  private String get(String key) throws IOException {
    try (InputStream in = repo.read(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every file under the root, partial or not, relative and '/'-separated. */
  private List<String> filesOnDisk() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private List<Path> partials() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().contains(FilesystemRepository.PARTIAL)).toList();
    }
  }

  @Test
  void committedWriteIsVisible() throws IOException {
    put(KEY, "hello");
    assertTrue(repo.exists(KEY));
    assertEquals("hello", get(KEY));
    assertEquals(List.of(KEY), repo.list("backups/app/"));
    assertEquals(List.of(KEY), filesOnDisk());
    assertEquals(root.resolve(KEY).toString(), repo.locate(KEY));
  }

  @Test
  void commitReplacesWhatWasThere() throws IOException {
    put(KEY, "old");
    put(KEY, "new");
    assertEquals("new", get(KEY));
    assertEquals(List.of(KEY), filesOnDisk());
  }

  @Test
  void writeClosedWithoutCommitLeavesNothing() throws IOException {
    try (Repository.PendingWrite out = repo.write(KEY)) {
      out.write(bytes("half a backup"));
      out.flush();
      assertEquals(1, partials().size(), "the write goes to a partial file");
      assertFalse(repo.exists(KEY));
    }
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), repo.list("backups/"));
    assertEquals(List.of(), filesOnDisk());
  }

  @Test
  void abortedWriteKeepsThePreviousContent() throws IOException {
    put(KEY, "old");
    try (Repository.PendingWrite out = repo.write(KEY)) {
      out.write(bytes("new but abandoned"));
    }
    assertEquals("old", get(KEY));
    assertEquals(List.of(KEY), filesOnDisk());
  }

  @Test
  void crashedWritersPartialIsNeverListedAndIsClearedByTheNextWrite() throws IOException {
    Repository.PendingWrite crashed = repo.write(KEY); // never closed: the writer "died"
    crashed.write(bytes("partial bytes"));
    crashed.flush();
    List<Path> leftovers = partials();
    assertEquals(1, leftovers.size());
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), repo.list("backups/"));
    assertEquals(List.of(), Manifests.list(repo, "app"));

    put(KEY, "complete");
    assertFalse(Files.exists(leftovers.get(0)), "the next write of the key removes the leftover");
    assertEquals(List.of(), partials());
    assertEquals("complete", get(KEY));
    assertEquals(List.of(KEY), repo.list("backups/"));
  }

  @Test
  void removeDeletesTheKeyItsPartialsAndEmptyFolders() throws IOException {
    String other = "backups/app/20240102T000000Z-2/manifest.json";
    put(KEY, "data");
    put(other, "{}");
    Repository.PendingWrite crashed = repo.write(KEY);
    crashed.write(bytes("x"));
    crashed.flush();

    repo.remove(KEY);
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), partials());
    assertFalse(Files.exists(root.resolve("backups/app/20240101T000000Z-1")), "empty backup folder pruned");
    assertTrue(Files.isDirectory(root.resolve("backups/app")), "still holds another backup");
    repo.remove(KEY); // absent keys are fine

    repo.remove(other);
    assertFalse(Files.exists(root.resolve("backups")));
    assertTrue(Files.isDirectory(root), "the root itself stays");
    assertEquals(List.of(), repo.list("backups/"));
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
    assertEquals(1, partials().size(), "the recent write is left alone");
    assertEquals("committed long ago", get(doneKey), "committed objects are never touched, however old");

    running.commit();
    running.close();
    assertEquals("in progress", get(newKey));
    repo.removeAbandonedWrites("backups/nothing-here/", Duration.ZERO); // a missing prefix is fine
  }

  @Test
  void keysEscapingTheRootAreRefused() throws IOException {
    Path outside = root.resolveSibling(root.getFileName() + "-outside");
    for (String key : List.of("../" + outside.getFileName() + "/x", "backups/../../x", "/etc/passwd")) {
      assertThrows(IllegalArgumentException.class, () -> repo.write(key), key);
      assertThrows(IllegalArgumentException.class, () -> repo.read(key), key);
      assertThrows(IllegalArgumentException.class, () -> repo.remove(key), key);
      assertThrows(IllegalArgumentException.class, () -> repo.exists(key), key);
      assertThrows(IllegalArgumentException.class, () -> repo.list(key), key);
    }
    assertFalse(Files.exists(outside));
    assertTrue(Files.exists(Path.of("/etc/passwd")));
  }

  @Test
  void readingAMissingKeyIsBackupNotFound() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> repo.read(KEY));
    assertEquals(ErrorCode.BACKUP_NOT_FOUND, e.code());
  }

  @Test
  void largeWriteRoundTrips() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(1).nextBytes(data);
    try (Repository.PendingWrite out = repo.write(KEY)) {
      out.write(data);
      out.commit();
    }
    try (InputStream in = repo.read(KEY)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }
}
