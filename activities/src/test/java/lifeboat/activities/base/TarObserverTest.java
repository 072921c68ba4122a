package lifeboat.activities.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base backup's check against a backup_manifest, on tars made by GNU tar: a whole one passes, a changed file
 * is named, a cut-off stream is refused. (The real pg_basebackup stream is BaseBackupWorkflowTest's.)
 */
class TarObserverTest {
  @TempDir Path dir;

  private static String crc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    long v = c.getValue();
    return String.format("%02x%02x%02x%02x", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff);
  }

  /** A cluster-like folder, its backup_manifest listing {@code listed} for global/1262's content, tarred. */
  private Path tar(byte[] listed) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("global"));
    byte[] actual = "the catalog".repeat(300).getBytes(StandardCharsets.UTF_8);
    Files.write(src.resolve("global/1262"), actual);
    byte[] label = ("START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\n"
        + "START TIMELINE: 1\n").getBytes(StandardCharsets.UTF_8);
    Files.write(src.resolve("backup_label"), label);
    Files.writeString(src.resolve("backup_manifest"), """
        { "PostgreSQL-Backup-Manifest-Version": 1,
        "Files": [
        { "Path": "backup_label", "Size": %d, "Checksum-Algorithm": "CRC32C", "Checksum": "%s" },
        { "Path": "global/1262", "Size": %d, "Checksum-Algorithm": "CRC32C", "Checksum": "%s" }
        ],
        "WAL-Ranges": [ { "Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/2000100" } ] }
        """.formatted(label.length, crc(label), listed.length, crc(listed)));
    Path tar = dir.resolve("base.tar");
    Process p = new ProcessBuilder("tar", "--format=ustar", "-cf", tar.toString(), "-C", src.toString(),
        "backup_label", "global", "backup_manifest").redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    return tar;
  }

  @Test
  void aWholeTarMatchingItsManifestPasses() throws Exception {
    Path tar = tar("the catalog".repeat(300).getBytes(StandardCharsets.UTF_8));
    try (InputStream in = Files.newInputStream(tar)) {
      assertEquals("2 files match PostgreSQL's backup_manifest (size and CRC32C)", BaseBackups.verify(in, "test"));
    }
  }

  @Test
  void aFileWhoseContentDiffersFromTheManifestIsNamed() throws Exception {
    byte[] other = "the catalog".repeat(300).getBytes(StandardCharsets.UTF_8);
    other[5] = 'X';
    Path tar = tar(other);
    try (InputStream in = Files.newInputStream(tar)) {
      LifeboatException e = assertThrows(LifeboatException.class, () -> BaseBackups.verify(in, "test"));
      assertEquals(ErrorCode.CORRUPT_BACKUP, e.code());
      assertTrue(e.getMessage().contains("global/1262 has CRC32C"), e.getMessage());
    }
  }

  @Test
  void aStreamCutOffBeforeItsEndIsRefused() throws Exception {
    Path tar = tar("the catalog".repeat(300).getBytes(StandardCharsets.UTF_8));
    byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(tar), 2048);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> BaseBackups.verify(new java.io.ByteArrayInputStream(cut), "test"));
    assertEquals(ErrorCode.CORRUPT_BACKUP, e.code());
  }
}
