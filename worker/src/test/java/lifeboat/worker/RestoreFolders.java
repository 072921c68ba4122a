package lifeboat.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a test's restored clusters go: a folder under /tmp the postgres OS user can enter (a root worker runs the
 * server as postgres, and JUnit's temp folders are 0700). Remove it with LocalCluster.deleteTree.
 */
final class RestoreFolders {
  private RestoreFolders() {}

  static Path create(String prefix) throws IOException {
    return Files.createTempDirectory(Path.of("/tmp"), prefix,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
