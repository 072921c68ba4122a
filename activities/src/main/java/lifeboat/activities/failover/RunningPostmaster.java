package lifeboat.activities.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Whether a PostgreSQL server runs on a data directory: its {@code postmaster.pid} (first line: the
 * postmaster's pid) names a process that is alive. A crashed server leaves a stale file whose pid is gone; a
 * pid reused by another process counts as running, which errs on the side of the data.
 */
final class RunningPostmaster {
  private RunningPostmaster() {}

  /** The pid of the postmaster running on {@code data}, if any. */
  static OptionalLong pid(Path data) {
    String first;
    try {
      first = Files.readAllLines(data.resolve("postmaster.pid")).stream().findFirst().orElse("").strip();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      // unreadable: nobody can tell that no server runs there, so it is treated as running
      return OptionalLong.of(-1);
    }
    try {
      long pid = Long.parseLong(first);
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid)
          : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // a half-written file of a server that never started
    }
  }

  /**
   * Refuses, never retried, to {@code action} the data directory of a running server: emptying or rewinding it
   * under a live postmaster destroys a working database (the old primary may be serving again).
   */
  static void refuseIfRunning(Path data, String action) {
    OptionalLong pid = pid(data);
    if (pid.isPresent()) {
      throw new LifeboatException(ErrorCode.POSTMASTER_RUNNING, "refusing to " + action + ": a PostgreSQL server "
          + (pid.getAsLong() > 0 ? "(pid " + pid.getAsLong() + ") " : "(postmaster.pid unreadable) ")
          + "is running on " + data + "; nothing was changed",
          "stop it first: `pg_ctl -D " + data + " stop -m fast` as its owner, or make failover.rebuild.stopCommand "
              + "really stop it (it exited 0 but the server still runs); then approve the rebuild again");
    }
  }
}
