package lifeboat.activities.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import lifeboat.activities.postgres.ServerPrograms;

/**
 * archive_command mode on a test cluster, as `lifeboat wal archive-command` tells an operator to set it up: the
 * token in a header file only the postgres OS user reads, and curl pushing each file to the worker. The cluster
 * must run with {@code -c archive_mode=on} ({@link PgCluster#startLocal}).
 */
public final class ArchiveCommandSetup {
  private ArchiveCommandSetup() {}

  /** A folder the postgres OS user can enter (a JUnit one is 0700), for header files. */
  public static Path headerFolder() throws IOException {
    return Files.createTempDirectory(Path.of("/tmp"), "lb-wal-headers-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  /** {@code Authorization: Bearer TOKEN} in {@code folder/name}, mode 0600, owned by postgres under root. */
  public static Path headerFile(Path folder, String name, String token) throws IOException {
    Path file = folder.resolve(name);
    Files.writeString(file, "Authorization: Bearer " + token + "\n");
    if (ServerPrograms.root()) {
      ServerPrograms.handOver(file);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** The archive_command the CLI prints, for a worker receiving on 127.0.0.1:port. */
  public static String command(Path header, int port, String database) {
    return "curl --fail --silent --show-error --max-time 60 -H @" + header + " -T %p http://127.0.0.1:" + port
        + "/wal/" + database + "/%f";
  }

  /** Sets the cluster's archive_command (a reload: archive_mode itself is set at start). */
  public static void enable(PgCluster pg, Path header, int port, String database) {
    pg.exec("postgres", "ALTER SYSTEM SET archive_command = '" + command(header, port, database) + "'");
    pg.exec("postgres", "SELECT pg_reload_conf()");
  }
}
