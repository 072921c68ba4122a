package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.OutOfSpace;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository whose disk fills up mid-backup is STORAGE_FAILED with a hint about space, not DUMP_FAILED "see
 * the worker log": a real PostgreSQL dump, encrypted and compressed, into a 1 MiB tmpfs (mount needs root, which
 * CI has), and the real kernel's ENOSPC text from /dev/full for the classifier everywhere.
 */
class FullRepositoryTest {
  @TempDir Path dir;

  @Test
  void aBackupIntoAFullRepositoryIsStorageFailedWithAHintAboutSpace() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    // Fails rather than skips without root: a skipped disk-full test proves nothing (CI runs as root).
    assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", repo.toString()),
        "mounting a 1 MiB tmpfs as the full repository needs root (CI runs as root)");
    try (PgCluster pg = PgCluster.start(); GpgKeys keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "pp-1")) {
      pg.createDatabase("big");
      // Hex digests: zstd halves them at best, so the stored object is well over the 1 MiB the disk has.
      pg.exec("big", "CREATE TABLE blob(id int, body text);"
          + " INSERT INTO blob SELECT g, md5(random()::text) || md5(random()::text) FROM generate_series(1, 100000) g;");
      Files.writeString(dir.resolve("pgpass.txt"), pg.password());
      Files.writeString(dir.resolve("lifeboat.yaml"), """
          repositories:
            local: { type: filesystem, path: repo }
          encryption:
            recipients: [%s]
          databases:
            big: { engine: postgres, url: "%s", password: "file:pgpass.txt", repository: local }
          """.formatted(keys.publicKeyFile(), pg.url("big")));
      BackupActivitiesImpl backup = new BackupActivitiesImpl(Workspace.fromFile(dir.resolve("lifeboat.yaml")));

      LifeboatException e = assertThrows(LifeboatException.class,
          () -> backup.dump("big", "20260101T000000Z-full", null, Progress.none()));
      assertEquals(ErrorCode.STORAGE_FAILED, e.code(), e.userMessage());
      assertTrue(e.getMessage().contains("no space left on the repository's disk"), e.userMessage());
      assertTrue(e.hint().contains("free space where the repository is (" + repo), e.hint());
      assertFalse(e.userMessage().contains("see the worker log"), e.userMessage());
      ApplicationFailure failure = e.toFailure();
      assertEquals("STORAGE_FAILED", failure.getType());
      assertFalse(failure.isNonRetryable(), "space can be freed: the step is retried");
      try (var left = Files.list(repo)) {
        assertEquals(List.of(), left.filter(p -> p.toString().contains(".partial-")).toList());
      }
    } finally {
      run("umount", repo.toString());
    }
  }

  @Test
  void theKernelsEnospcIsFoundAnywhereInTheChain() throws Exception {
    IOException real;
    try (FileOutputStream full = new FileOutputStream("/dev/full")) {
      full.write(new byte[4096]);
      full.flush();
      throw new AssertionError("/dev/full accepted a write");
    } catch (IOException e) {
      real = e;
    }
    assertTrue(OutOfSpace.in(real), real.toString());
    assertTrue(OutOfSpace.in(new IOException("zstd stream failed", real)), "as a cause");
    IOException closing = new IOException("Stream closed");
    closing.addSuppressed(real);
    assertTrue(OutOfSpace.in(new IOException("copy failed", closing)), "suppressed by a failing close");
    assertFalse(OutOfSpace.in(new IOException("Connection reset by peer")));
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
    return p.exitValue();
  }
}
