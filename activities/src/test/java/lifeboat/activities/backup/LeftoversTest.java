package lifeboat.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.backup.BackupIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What PrepareBackup sweeps: old leftovers of interrupted attempts, never a backup in progress or a published one. */
class LeftoversTest {
  @TempDir Path dir;

  private static String idDaysAgo(int days) {
    return BackupIds.newId(Instant.now().minus(Duration.ofDays(days)).toEpochMilli(), UUID.randomUUID());
  }

  private static void put(Repository repo, String key) throws Exception {
    try (Repository.PendingWrite w = repo.write(key)) {
      w.write("x".getBytes(StandardCharsets.UTF_8));
      w.commit();
    }
  }

  @Test
  void sweepsOldUnpublishedObjectsAndPartialsOnly() throws Exception {
    FilesystemRepository repo = new FilesystemRepository(dir);
    String oldOrphan = idDaysAgo(3);
    String oldPublished = idDaysAgo(3);
    String running = idDaysAgo(0);
    put(repo, "backups/app/" + oldOrphan + "/data.zst.pgp");
    put(repo, "backups/app/" + oldOrphan + "/globals.sql.zst.pgp");
    put(repo, "backups/app/" + oldPublished + "/data.zst.pgp");
    put(repo, "backups/app/" + oldPublished + "/globals.sql.zst.pgp");
    put(repo, "backups/app/" + oldPublished + "/manifest.json");
    put(repo, "backups/app/" + running + "/data.zst.pgp");
    put(repo, "backups/app/not-a-backup-id/data.zst.pgp");
    put(repo, "drills/app/" + oldOrphan + ".json"); // drill reports live beside backups/, never swept
    Path oldPartial = dir.resolve("backups/app/" + idDaysAgo(4) + "/data.zst.pgp.partial-1");
    Files.createDirectories(oldPartial.getParent());
    Files.writeString(oldPartial, "half");
    Files.setLastModifiedTime(oldPartial, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
    Path freshPartial = dir.resolve("backups/app/" + running + "/data.zst.pgp.partial-2");
    Files.writeString(freshPartial, "in progress");

    Leftovers.sweep(repo, "app");

    assertEquals(List.of(
        "backups/app/" + oldPublished + "/data.zst.pgp",
        "backups/app/" + oldPublished + "/globals.sql.zst.pgp",
        "backups/app/" + oldPublished + "/manifest.json",
        "backups/app/" + running + "/data.zst.pgp",
        "backups/app/not-a-backup-id/data.zst.pgp").stream().sorted().toList(), repo.list("backups/app/"));
    assertEquals(List.of("drills/app/" + oldOrphan + ".json"), repo.list("drills/"));
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(oldPartial));
    org.junit.jupiter.api.Assertions.assertTrue(Files.exists(freshPartial));
  }
}
