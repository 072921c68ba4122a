package lifeboat.activities.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.engine.ToolProcess;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Runs the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) for the clusters Lifeboat makes on its
 * own machine. initdb and the server refuse to run as root, so a root worker runs them as the {@code postgres}
 * OS user through runuser and hands it the data directory; any other worker runs them as itself.
 */
public final class ServerPrograms {
  public static final String OS_USER = "postgres";
  public static final String INSTALL_HINT = "a cluster drill target needs the PostgreSQL server programs (Debian/Ubuntu: "
      + "apt-get install postgresql), found through " + PgBinaries.BINDIR_ENV + " or pg_config --bindir; "
      + "or use restore.target: server";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final long HEARTBEAT_MILLIS = 2_000;

  /** How a program ended: its exit code and the tail of its error output. */
  public record Outcome(int code, String stderr, String summary) {
    public boolean ok() {
      return code == 0;
    }
  }

  private ServerPrograms() {}

  /** Fails with TOOL_MISSING when the server programs (or, as root, the postgres OS user) are missing. */
  public static boolean root() {
    return ROOT;
  }

  public static void requireAvailable() {
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
  public static Outcome run(List<String> args, Runnable heartbeat) {
    return run(args, Map.of(), heartbeat);
  }

  /** As {@link #run(List, Runnable)}, with more environment (PGPASSWORD for pg_basebackup). */
  public static Outcome run(List<String> args, Map<String, String> env, Runnable heartbeat) {
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
    pb.environment().putAll(env);
    try (ToolProcess p = ToolProcess.start(pb, INSTALL_HINT)) {
      try {
        while (!p.process().waitFor(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS)) {
          heartbeat.run();
        }
      } catch (InterruptedException e) {
        // the caller's own failure (its code and hint) covers it; the flag stays set for the SDK to see
        Thread.currentThread().interrupt();
        return new Outcome(-1, "", args.get(0) + " was interrupted");
      }
      int code = p.waitFor();
      return new Outcome(code, p.stderrTail(), p.failureSummary(code));
    }
  }

  /** As root: gives {@code path} (not recursively) to the postgres OS user, so initdb can fill it. */
  public static void handOver(Path path) throws IOException {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setOwner(lookup.lookupPrincipalByName(OS_USER));
    view.setGroup(lookup.lookupPrincipalByGroupName(OS_USER));
  }

  /** As root: gives {@code dir} and everything under it to the postgres OS user. */
  public static void handOverTree(Path dir) throws IOException {
    if (!ROOT) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        handOver(p);
      }
    }
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
