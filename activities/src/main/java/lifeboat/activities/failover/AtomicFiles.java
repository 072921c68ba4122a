package lifeboat.activities.failover;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Replaces a config file so that a reader sees the old or the new content, never half of it: a temp file in
 * the same directory with the original's owner, group and mode, fsynced, renamed over it, directory fsynced.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "cannot read " + what + " " + file + ": "
          + e.getClass().getSimpleName(), "the file must exist on the worker and be readable by it");
    }
  }

  static void replace(Path file, String content) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".lifeboat-tmp");
    try {
      PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      view.setPermissions(attrs.permissions());
      if (!attrs.owner().equals(view.getOwner()) || !attrs.group().equals(view.readAttributes().group())) {
        view.setOwner(attrs.owner());
        view.setGroup(attrs.group());
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // some file systems cannot fsync a directory; the rename itself is atomic
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new LifeboatException(ErrorCode.FAILOVER_REPOINT_FAILED, "cannot rewrite " + file + ": " + e,
          "the worker must be able to write the file's directory and keep its owner (run it as the file's owner"
              + " or as root)");
    }
  }
}
