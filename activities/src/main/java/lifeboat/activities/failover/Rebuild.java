package lifeboat.activities.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.activities.migration.ShellCommand;
import lifeboat.workflows.failover.RebuildResult;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RebuildSpec;

/**
 * Makes the old primary a streaming standby of the new one, on the worker's machine: stop it, pg_rewind
 * (only its divergent blocks are replaced; needs wal_log_hints or data checksums on it and full_page_writes on
 * the new primary), or, when rewind is refused or not wanted, empty its data directory and pg_basebackup -R
 * from the new primary; then start it and wait until it answers in recovery. Destroys whatever the old
 * primary wrote after the split: that is why the workflow asks before this step. Tools run as
 * {@code osUser} through runuser when the worker is root (the server refuses to run as root).
 */
final class Rebuild {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private final Map<String, String> workerEnv;

  Rebuild(Map<String, String> workerEnv) {
    this.workerEnv = workerEnv;
  }

  RebuildResult rebuild(FailoverSpec spec, DbConnection newPrimary, DbConnection oldPrimary) {
    RebuildSpec r = spec.rebuild();
    if (r == null || r.dataDir() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "failover.rebuild.dataDir is missing",
          "write rebuild: { dataDir: /var/lib/postgresql/15/main } (the old primary's data directory on this worker)");
    }
    String method = r.methodOrDefault();
    if (!List.of(RebuildSpec.AUTO, RebuildSpec.REWIND, RebuildSpec.BASEBACKUP).contains(method)) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "unknown rebuild method '" + method + "'",
          "one of auto, rewind, basebackup");
    }
    Path data = Path.of(r.dataDir());
    long t0 = System.nanoTime();
    stop(r, data);
    // Whatever the stop said: pg_rewind and pg_basebackup overwrite the data directory, only a stopped one.
    RunningPostmaster.refuseIfRunning(data, "rebuild " + data);
    Endpoints.HostPort source = Endpoints.hostPort(newPrimary.url());
    String user = PgUrls.parse(newPrimary.url()).user();
    Map<String, String> env = Map.of("PGPASSWORD", newPrimary.password() == null ? "" : newPrimary.password());
    String refused = null;
    String used;
    if (!method.equals(RebuildSpec.BASEBACKUP)) {
      refused = checkpoint(newPrimary);
    }
    if (refused != null && method.equals(RebuildSpec.REWIND)) {
      throw new LifeboatException(ErrorCode.FAILOVER_REBUILD_FAILED, refused,
          "the runbook's standby user needs CHECKPOINT rights (superuser or pg_checkpoint)");
    }
    if (!method.equals(RebuildSpec.BASEBACKUP) && refused == null) {
      ShellCommand.Outcome rewind = tool(List.of(PgBinaries.tool("pg_rewind"), "--target-pgdata=" + data,
          "--source-server=host=" + source.host() + " port=" + source.port() + " user=" + user + " dbname=postgres",
          "--write-recovery-conf", "--progress"), r, env);
      if (rewind.succeeded()) {
        used = "pg_rewind";
      } else if (method.equals(RebuildSpec.REWIND)) {
        throw failed("pg_rewind", rewind, newPrimary);
      } else {
        refused = lastLine(Redactor.redact(rewind.tail(), newPrimary.password()));
        used = "pg_basebackup";
      }
    } else {
      used = "pg_basebackup";
    }
    if (used.equals("pg_basebackup")) {
      RunningPostmaster.refuseIfRunning(data, "empty " + data + " for pg_basebackup");
      emptyDirectory(data);
      // --checkpoint=fast: a spread checkpoint would keep the old primary down for up to minutes, waiting.
      ShellCommand.Outcome base = tool(List.of(PgBinaries.tool("pg_basebackup"), "-h", source.host(), "-p",
          "" + source.port(), "-U", user, "-D", data.toString(), "-R", "-X", "stream", "--checkpoint=fast"), r,
          env);
      if (!base.succeeded()) {
        throw failed("pg_basebackup", base, newPrimary);
      }
    }
    start(r, data, PgUrls.parse(oldPrimary.url()));
    boolean standby = awaitStandby(oldPrimary);
    if (!standby) {
      throw new LifeboatException(ErrorCode.FAILOVER_REBUILD_FAILED, oldPrimary.display() + " was rebuilt with "
          + used + " and started, but does not answer as a standby", "read its server log in " + data);
    }
    return new RebuildResult(used, data.toString(), refused, true, ServerProbe.millisSince(t0),
        "rebuilt with " + used + (refused == null ? "" : " (pg_rewind refused: " + refused + ")")
            + "; streaming from " + source);
  }

  /**
   * A freshly promoted server writes its new timeline to its control file only at its next checkpoint; until
   * then pg_rewind sees one timeline on both sides, reports "no rewind required", and the old primary would
   * start with its divergent data. Returns why it failed, or null.
   */
  private static String checkpoint(DbConnection newPrimary) {
    try (Connection c = lifeboat.activities.engine.Jdbc.open(newPrimary);
         java.sql.Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
      return null;
    } catch (SQLException | LifeboatException e) {
      return Redactor.redact("CHECKPOINT on the new primary failed: " + e.getMessage(), newPrimary.password());
    }
  }

  private void stop(RebuildSpec r, Path data) {
    if (r.stopCommand() != null) {
      ShellCommand.Outcome out = ShellCommand.run(r.stopCommand(), Path.of("/"), inherited(), Duration.ofMinutes(5));
      if (!out.succeeded()) {
        throw failed("stopCommand", out, null);
      }
      return;
    }
    if (Files.exists(data.resolve("postmaster.pid"))) {
      // Exit 1 with a stale pid file (a crashed server) is fine: pg_rewind's own crash recovery handles that.
      // Any other failure leaves a running server, which the caller's RunningPostmaster check refuses.
      tool(List.of(PgBinaries.tool("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast", "-w"), r, Map.of());
    }
  }

  private void start(RebuildSpec r, Path data, PgUrls.PgUrl old) {
    ShellCommand.Outcome out;
    if (r.startCommand() != null) {
      out = ShellCommand.run(r.startCommand(), Path.of("/"), inherited(), Duration.ofMinutes(5));
    } else {
      String hp = old.hosts().get(0);
      int port = r.port() != null ? r.port() : Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
      String opts = "-p " + port + (r.serverOptions() == null ? "" : " " + r.serverOptions());
      out = tool(List.of(PgBinaries.tool("pg_ctl"), "start", "-D", data.toString(), "-o", opts, "-l",
          data.resolve("lifeboat-rebuild.log").toString(), "-w", "-t", "120"), r, Map.of());
    }
    if (!out.succeeded()) {
      throw failed("starting the rebuilt server", out, null);
    }
  }

  private static boolean awaitStandby(DbConnection old) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = Endpoints.open(old, Duration.ofSeconds(3))) {
        return Promotion.inRecovery(c);
      } catch (SQLException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** Runs a PostgreSQL tool (as osUser when root); the password, if any, only in the environment. */
  private ShellCommand.Outcome tool(List<String> argv, RebuildSpec r, Map<String, String> extraEnv) {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", r.osUser() == null ? "postgres" : r.osUser(), "--"));
    }
    cmd.addAll(argv);
    Map<String, String> env = inherited();
    env.putAll(extraEnv);
    return ShellCommand.run(shellQuote(cmd), Path.of("/tmp"), env, Duration.ofHours(6));
  }

  private static String shellQuote(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      sb.append(sb.length() == 0 ? "" : " ").append('\'').append(a.replace("'", "'\\''")).append('\'');
    }
    return sb.toString();
  }

  private Map<String, String> inherited() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("PATH", "HOME", "LANG", "TZ")) {
      if (workerEnv.get(name) != null) {
        env.put(name, workerEnv.get(name));
      }
    }
    return env;
  }

  /** Keeps the directory itself (owner, mode 0700, a mount point) and removes what is in it. */
  private static void emptyDirectory(Path data) {
    try (Stream<Path> all = Files.walk(data)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        if (!p.equals(data)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.FAILOVER_REBUILD_FAILED, "cannot empty " + data + ": " + e,
          "the worker must be able to remove the old primary's files (run it as their owner or as root)");
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static LifeboatException failed(String what, ShellCommand.Outcome out, DbConnection db) {
    String tail = Redactor.redact(out.tail(), db == null ? null : db.password());
    return new LifeboatException(ErrorCode.FAILOVER_REBUILD_FAILED, what + (out.timedOut() ? " timed out"
        : " failed (exit " + out.exitCode() + ")") + ": " + lastLine(tail), "its output ends:\n" + tail);
  }
}
