package lifeboat.activities.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.engine.ToolProcess;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Runs the PostgreSQL server programs (initdb, pg_ctl) for throwaway clusters. initdb and the server refuse
 * to run as root, so a root worker runs them as the {@code postgres} OS user through runuser and hands it the
 * data directory; any other worker runs them as itself.
 */
final class ServerCommands {
  static final String OS_USER = "postgres";
  static final String INSTALL_HINT = "a cluster drill target needs the PostgreSQL server programs (Debian/Ubuntu: "
      + "apt-get install postgresql), found through " + PgBinaries.BINDIR_ENV + " or pg_config --bindir; "
      + "or use restore.target: server";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final long HEARTBEAT_MILLIS = 2_000;

  /** How a program ended: its exit code and the tail of its error output. */
  record Outcome(int code, String stderr, String summary) {
    boolean ok() {
      return code == 0;
    }
  }

  private ServerCommands() {}

  /** Fails with TOOL_MISSING when the server programs (or, as root, the postgres OS user) are missing. */
  static void requireAvailable() {
    for (String program : List.of("initdb", "pg_ctl")) {
      Path path = Path.of(PgBinaries.tool(program));
      if (path.isAbsolute() ? !Files.isExecutable(path) : !onPath(program)) {
        throw new LifeboatException(ErrorCode.TOOL_MISSING, program + " not found on this worker", INSTALL_HINT);
      }
    }
    if (ROOT) {
      try {
        Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.TOOL_MISSING,
            "the worker runs as root, initdb refuses root, and there is no \"" + OS_USER + "\" OS user",
            "create the postgres OS user (the postgresql package does), or run the worker as another user");
      }
    }
  }

  /** Runs a server program to its end, calling {@code heartbeat} every 2 s while it runs. */
  static Outcome run(List<String> args, Runnable heartbeat) {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    cmd.add(PgBinaries.tool(args.get(0)));
    cmd.addAll(args.subList(1, args.size()));
    // from /, which the postgres user can enter whatever the worker's working directory is
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
            Path.of("/dev/null").toFile()));
    pb.environment().remove("PGPASSWORD");
    try (ToolProcess p = ToolProcess.start(pb, INSTALL_HINT)) {
      try {
        while (!p.process().waitFor(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS)) {
          heartbeat.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatException(ErrorCode.DRILL_TARGET_FAILED, args.get(0) + " was interrupted",
            "the step is retried");
      }
      int code = p.waitFor();
      return new Outcome(code, p.stderrTail(), p.failureSummary(code));
    }
  }

  /** As root: gives {@code path} (not recursively) to the postgres OS user, so initdb can fill it. */
  static void handOver(Path path) throws IOException {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setOwner(lookup.lookupPrincipalByName(OS_USER));
    view.setGroup(lookup.lookupPrincipalByGroupName(OS_USER));
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
