package lifeboat.activities.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Repository} must do, run against each storage driver by a subclass: a filesystem folder
 * ({@link FilesystemRepositoryTest}) and an S3 bucket on a real S3-compatible server ({@link S3RepositoryTest}).
 * The subclass also shows what lies behind the repository's back: the objects really stored, and the writes
 * still pending (partial files, unfinished multipart uploads).
 */
abstract class RepositoryContractTest {
  static final String KEY = "backups/app/20240101T000000Z-1/data.zst.pgp";

  Repository repo;

  abstract Repository newRepository() throws Exception;

  /** The keys of everything stored, pending writes excluded, read behind the repository's back. */
  abstract List<String> storedObjects() throws IOException;

  /** The keys of writes started and neither committed nor cleaned up (partial files, multipart uploads). */
  abstract List<String> pendingWrites() throws IOException;

  /** How many bytes a write must be given before it leaves a trace in {@link #pendingWrites()}. */
  abstract int bytesToLeaveATrace();

  /** Where {@link Repository#locate} should say the key is. */
  abstract String expectedLocation(String key);

  @BeforeEach
  void openRepository() throws Exception {
    repo = newRepository();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  void put(String key, String content) throws IOException {
    try (Repository.PendingWrite out = repo.write(key)) {
      out.write(bytes(content));
      out.commit();
    }
  }

  String get(String key) throws IOException {
    try (InputStream in = repo.read(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A write that was given bytes and then left: what a worker killed mid-backup leaves. */
  Repository.PendingWrite startAndLeave(String key) throws IOException {
    int before = pendingWrites().size();
    Repository.PendingWrite out = repo.write(key);
    out.write(random(bytesToLeaveATrace(), key.hashCode()));
    out.write(bytes("and a bit more"));
    out.flush();
    await(() -> pendingWritesUnchecked().size() > before, "the write shows as pending");
    return out;
  }

  List<String> pendingWritesUnchecked() {
    try {
      return pendingWrites();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits for something the store does in the background (an upload starting). Generous: the machine is busy. */
  static void await(Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void committedWriteIsVisible() throws IOException {
    put(KEY, "hello");
    assertTrue(repo.exists(KEY));
    assertEquals("hello", get(KEY));
    assertEquals(List.of(KEY), repo.list("backups/app/"));
    assertEquals(List.of(KEY), storedObjects());
    assertEquals(List.of(), pendingWrites());
    assertEquals(expectedLocation(KEY), repo.locate(KEY));
    assertFalse(repo.isLocked(KEY));
  }

  @Test
  void commitReplacesWhatWasThere() throws IOException {
    put(KEY, "old");
    put(KEY, "new");
    assertEquals("new", get(KEY));
    assertEquals(List.of(KEY), storedObjects());
  }

  @Test
  void writeClosedWithoutCommitLeavesNothing() throws IOException {
    try (Repository.PendingWrite out = startAndLeave(KEY)) {
      assertEquals(List.of(KEY), pendingWrites(), "the write is pending");
      assertFalse(repo.exists(KEY));
      assertEquals(List.of(), repo.list("backups/"));
      out.write(bytes("more, then an exception"));
    }
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), repo.list("backups/"));
    assertEquals(List.of(), storedObjects());
    assertEquals(List.of(), pendingWrites(), "nothing left behind, not even an unfinished upload");
  }

  @Test
  void abortedWriteKeepsThePreviousContent() throws IOException {
    put(KEY, "old");
    try (Repository.PendingWrite out = startAndLeave(KEY)) {
      out.write(bytes("new but abandoned"));
    }
    assertEquals("old", get(KEY));
    assertEquals(List.of(KEY), storedObjects());
    assertEquals(List.of(), pendingWrites());
  }

  @Test
  void crashedWritersPendingWriteIsNeverListedAndIsClearedByTheNextWrite() throws IOException {
    startAndLeave(KEY); // never closed: the writer "died"
    assertEquals(List.of(KEY), pendingWrites());
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), repo.list("backups/"));
    assertEquals(List.of(), Manifests.list(repo, "app"));

    put(KEY, "complete");
    assertEquals(List.of(), pendingWrites(), "the next write of the key removes the leftover");
    assertEquals("complete", get(KEY));
    assertEquals(List.of(KEY), repo.list("backups/"));
  }

  @Test
  void removeDeletesTheKeyAndItsPendingWrites() throws IOException {
    String other = "backups/app/20240102T000000Z-2/manifest.json";
    put(KEY, "data");
    put(other, "{}");
    startAndLeave(KEY);

    repo.remove(KEY);
    assertFalse(repo.exists(KEY));
    assertEquals(List.of(), pendingWrites());
    assertEquals(List.of(other), repo.list("backups/"));
    repo.remove(KEY); // absent keys are fine

    repo.remove(other);
    assertEquals(List.of(), repo.list("backups/"));
    assertEquals(List.of(), storedObjects());
  }

  @Test
  void listIsRecursiveSortedAndLimitedToThePrefix() throws IOException {
    List<String> keys = List.of("backups/app/2/manifest.json", "backups/app/1/data.zst.pgp",
        "backups/app/1/manifest.json", "backups/apple/1/manifest.json", "elsewhere/x");
    for (String key : keys) {
      put(key, key);
    }
    assertEquals(List.of("backups/app/1/data.zst.pgp", "backups/app/1/manifest.json", "backups/app/2/manifest.json"),
        repo.list("backups/app/"));
    assertEquals(keys.stream().sorted().toList(), repo.list(""));
    assertEquals(List.of(), repo.list("backups/nothing/"));
  }

  @Test
  void removeAbandonedWritesLeavesRecentOnesAndCommittedObjects() throws IOException {
    String abandonedKey = "backups/app/20240101T000000Z-1/data.zst.pgp";
    String runningKey = "backups/app/20240102T000000Z-2/data.zst.pgp";
    String doneKey = "backups/app/20230101T000000Z-0/data.zst.pgp";
    String otherDatabase = "backups/other/20240101T000000Z-1/data.zst.pgp";
    put(doneKey, "committed");
    startAndLeave(abandonedKey);
    Repository.PendingWrite running = startAndLeave(runningKey);
    startAndLeave(otherDatabase);

    repo.removeAbandonedWrites("backups/app/", Duration.ofHours(48));
    assertEquals(List.of(abandonedKey, runningKey, otherDatabase), pendingWrites().stream().sorted().toList(),
        "writes started just now are left alone");

    running.commit();
    running.close();
    // Everything under the prefix that is older than "now" is abandoned; the cutoff lies a little ahead so
    // that a store's clock a second behind ours changes nothing.
    repo.removeAbandonedWrites("backups/app/", Duration.ofMinutes(-1));
    assertEquals(List.of(otherDatabase), pendingWrites(), "only under the prefix");
    assertEquals(List.of(doneKey, runningKey), repo.list("backups/app/"), "committed objects are never touched");
    assertEquals("committed", get(doneKey));
    repo.removeAbandonedWrites("backups/nothing-here/", Duration.ZERO); // a missing prefix is fine
  }

  @Test
  void keysEscapingTheRootAreRefused() {
    for (String key : List.of("../x", "backups/../../x", "/etc/passwd")) {
      assertOutside(() -> repo.write(key));
      assertOutside(() -> repo.read(key));
      assertOutside(() -> repo.remove(key));
      assertOutside(() -> repo.exists(key));
      assertOutside(() -> repo.list(key));
    }
  }

  @Test
  void readingAMissingKeyIsBackupNotFound() {
    LifeboatException e = assertThrows(LifeboatException.class, () -> repo.read(KEY));
    assertEquals(ErrorCode.BACKUP_NOT_FOUND, e.code());
    assertFalse(repo.exists(KEY));
  }

  /** Larger than a few S3 parts, written in odd-sized pieces. */
  @Test
  void largeWriteRoundTrips() throws IOException {
    byte[] data = random(3 * bytesToLeaveATrace() + 17, 1);
    try (Repository.PendingWrite out = repo.write(KEY)) {
      for (int off = 0; off < data.length; off += 100_003) {
        out.write(data, off, Math.min(100_003, data.length - off));
      }
      out.commit();
    }
    try (InputStream in = repo.read(KEY)) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(List.of(), pendingWrites());
  }

  /** A key that would leave the repository: refused with its code, never retried. */
  static void assertOutside(org.junit.jupiter.api.function.Executable call) {
    var e = org.junit.jupiter.api.Assertions.assertThrows(lifeboat.activities.errors.LifeboatException.class, call);
    org.junit.jupiter.api.Assertions.assertEquals(lifeboat.activities.errors.ErrorCode.KEY_OUTSIDE_REPOSITORY, e.code());
  }
}
