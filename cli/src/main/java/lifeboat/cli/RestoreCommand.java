package lifeboat.cli;

import lifeboat.workflows.model.SecretReferences;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lifeboat.cli.backup.BackupCatalogs;
import lifeboat.workflows.model.BackupCatalog;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.RestoreResult;
import lifeboat.workflows.restore.RestoreWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true, description = {
    "Restore a backup into a target database or file.",
    "Starts a RestoreWorkflow: fetch, verify the checksum, decrypt, decompress and restore.",
    "A target that already holds tables is refused unless --clean is given.",
    "Partial: --table T (repeatable) into a side database that lacks T, --schema-only, or --data-only into an"
        + " existing schema (PostgreSQL backups; --table also MariaDB ones)."})
public final class RestoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Database name whose backup is restored, as in lifeboat.yaml.")
  String database;

  @Option(names = "--backup", defaultValue = "latest", description = "Backup id, or 'latest' (default).")
  String backup;

  @Option(names = "--to",
      description = "Target: postgresql://user@host:port/db or mariadb://user@host:port/db (no password in it),"
          + " or a SQLite or DuckDB file path.")
  String to;

  @Option(names = "--to-dir", paramLabel = "DIR", description = "Point-in-time restore of a PostgreSQL cluster"
      + " from a base backup and the WAL archive, into this empty folder on the worker's host (instead of --to).")
  String toDir;

  @Option(names = "--port", description = "With --to-dir: the port the restored server listens on (127.0.0.1).")
  Integer port;

  @Option(names = "--to-time", paramLabel = "T", description = "With --to-dir: the moment, with an offset"
      + " ('2026-12-01 14:32:07+00' or 2026-12-01T14:32:07Z); recovery stops before the first commit after it."
      + " With --to, a MariaDB database with a binlog archive: the newest dump that ended before T, then its binlog"
      + " replayed up to T (to the second).")
  String toTime;

  @Option(names = "--to-lsn", paramLabel = "LSN", description = "With --to-dir: stop after this WAL position.")
  String toLsn;

  @Option(names = "--to-name", paramLabel = "NAME", description = "With --to-dir: stop at this restore point"
      + " (`lifeboat restore-point`).")
  String toName;

  @Option(names = "--to-xid", paramLabel = "XID", description = "With --to-dir: stop after this transaction"
      + " commits (from the oldest base backup, unless --backup names a newer one before it).")
  String toXid;

  @Option(names = "--immediate", description = "With --to-dir: stop as soon as the base backup is consistent."
      + " Without --to-time, --to-lsn or --immediate, recovery runs to the end of the archive.")
  boolean immediate;

  @Option(names = "--to-password", description = "Target password as a reference: env:NAME or file:PATH.")
  String toPassword;

  @Option(names = "--jobs", defaultValue = "1", description = "pg_restore parallel jobs (default 1: streamed).")
  int jobs;

  @Option(names = "--clean", description = "Restore over existing objects (pg_restore --clean --if-exists).")
  boolean clean;

  @Option(names = "--table", paramLabel = "T",
      description = "Restore only this table (name or schema.name; repeatable): its definition and rows, not its "
          + "indexes or constraints (MariaDB: name only; with its indexes, constraints and triggers). The target "
          + "may hold other tables, not this one (unless --clean).")
  List<String> tables = new ArrayList<>();

  @Option(names = "--schema-only", description = "Restore the schema, no rows.")
  boolean schemaOnly;

  @Option(names = "--data-only", description = "Restore the rows into the target's existing tables, in one "
      + "transaction (no --clean, no --jobs).")
  boolean dataOnly;

  @Option(names = "--no-owner", description = "Restore without the source's owners and grants "
      + "(pg_restore --no-owner --no-privileges): for a target server that lacks the source's roles.")
  boolean noOwner;

  @Option(names = "--globals", description = "First restore the roles and tablespaces saved with the backup "
      + "(pg_dumpall --globals-only) into the target's server; roles it already has are left as they are.")
  boolean globals;

  @Option(names = "--wait", description = "Wait for the restore and print what was restored.")
  boolean await;

  @Override
  public Integer call() {
    KnownDatabases.require(temporal.config(), database);
    if (toDir != null) {
      return new PointInTimeRestore(spec, temporal).run(pitrRequest(), await);
    }
    if (to == null) {
      throw new IllegalArgumentException("name a target: --to URL-or-file (a dump restore) or --to-dir DIR --port P"
          + " (a point-in-time restore)");
    }
    RestoreRequest request = new RestoreRequest(database, backup, target(), toPassword, jobs, clean, tables,
        schemaOnly, dataOnly, noOwner, globals, binlogMoment());
    String id = WorkflowIds.next("restore", database);
    try (Temporal t = new Temporal(temporal)) {
      RestoreWorkflow wf = t.client().newWorkflowStub(RestoreWorkflow.class, t.start(id, "restore", database));
      WorkflowClient.start(wf::restore, request);
      var out = spec.commandLine().getOut();
      out.println("started restore of " + database + " (" + backup + ") into " + request.target() + ": workflow " + id);
      out.flush();
      if (await) {
        RestoreResult r = WaitForResult.get(t, temporal.namespace(), id, RestoreResult.class, out);
        out.println("restored " + r.backupId() + " into " + r.target() + " in " + Format.millis(r.durationMillis())
            + ": " + r.check());
        if (RestoreRequest.LATEST.equals(backup)) {
          skippedNewer(t, r.backupId(), out);
        }
      }
      return ExitCodes.OK;
    }
  }

  /**
   * "latest" is the newest readable verified backup: a newer one whose manifest cannot be read was passed over,
   * and whoever restores must know that the backup they got is not the newest there is.
   */
  private void skippedNewer(Temporal t, String restored, java.io.PrintWriter out) {
    for (BackupCatalog.Unreadable u : BackupCatalogs.of(t, database).unreadable()) {
      if (u.backupId().compareTo(restored) > 0) {
        out.println("skipped newer backup " + u.backupId() + ": " + u.problem()
            + " HINT: `lifeboat backup list " + database + "` shows it; restore it by id once its manifest is repaired");
      }
    }
  }

  private lifeboat.workflows.pitr.PitrRequest pitrRequest() {
    if (to != null) {
      throw new IllegalArgumentException("--to and --to-dir exclude each other");
    }
    if (port == null || port < 1 || port > 65535) {
      throw new IllegalArgumentException("--to-dir needs --port P, the port the restored server listens on");
    }
    if ((toTime != null ? 1 : 0) + (toLsn != null ? 1 : 0) + (toName != null ? 1 : 0) + (toXid != null ? 1 : 0)
        + (immediate ? 1 : 0) > 1) {
      throw new IllegalArgumentException("--to-time, --to-lsn, --to-name, --to-xid and --immediate exclude each"
          + " other");
    }
    if (clean || dataOnly || schemaOnly || noOwner || globals || !tables.isEmpty() || jobs != 1) {
      throw new IllegalArgumentException("--clean, --data-only, --schema-only, --no-owner, --globals, --table and"
          + " --jobs are for dump restores (--to), not --to-dir");
    }
    return new lifeboat.workflows.pitr.PitrRequest(database, RestoreRequest.LATEST.equals(backup) ? null : backup,
        toTime, toLsn, immediate, java.nio.file.Path.of(toDir).toAbsolutePath().toString(), port, toName, toXid);
  }

  /** --to-time with --to (MariaDB's binlog replay), as an ISO-8601 instant; null without it. */
  private String binlogMoment() {
    if (toLsn != null || toName != null || toXid != null || immediate || port != null) {
      throw new IllegalArgumentException("--to-lsn, --to-name, --to-xid, --immediate and --port are for --to-dir"
          + " (a PostgreSQL point-in-time restore); with --to, only --to-time (MariaDB)");
    }
    if (toTime == null) {
      return null;
    }
    if (!tables.isEmpty() || schemaOnly || dataOnly) {
      throw new IllegalArgumentException("--to-time restores the whole database: no --table, --schema-only or"
          + " --data-only");
    }
    return Moments.parse(toTime, "--to-time").toString();
  }

  /** Refuses secrets on the command line (they would land in workflow history); makes file paths absolute. */
  private String target() {
    boolean url = ConnectionStrings.isPostgresUrl(to) || ConnectionStrings.isMariaDbUrl(to);
    if (url && ConnectionStrings.containsPassword(to)) {
      throw new IllegalArgumentException(
          "--to must not contain a password; pass it as a reference with --to-password env:NAME");
    }
    if (!SecretReferences.isAbsentOrReference(toPassword)) {
      throw new IllegalArgumentException("--to-password takes a reference (env:NAME or file:PATH), not a password");
    }
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1");
    }
    if (schemaOnly && dataOnly) {
      throw new IllegalArgumentException("--schema-only and --data-only exclude each other: give one, or neither");
    }
    if (dataOnly && clean) {
      throw new IllegalArgumentException(
          "--clean cannot be combined with --data-only: it would drop the tables the rows go into");
    }
    boolean partial = !tables.isEmpty() || schemaOnly || dataOnly;
    if (partial && !url) {
      throw new IllegalArgumentException(
          "--table, --schema-only and --data-only are for PostgreSQL backups (--table also for MariaDB ones): "
              + "restore a SQLite or DuckDB backup whole to a side file and copy the rows from there");
    }
    if (noOwner && !ConnectionStrings.isPostgresUrl(to)) {
      throw new IllegalArgumentException("--no-owner is for PostgreSQL backups (a postgresql:// --to)");
    }
    if (!url && globals) {
      throw new IllegalArgumentException("--globals is for PostgreSQL and MariaDB backups (a postgresql:// or"
          + " mariadb:// --to): they save the server's roles or users beside the data");
    }
    for (String t : tables) {
      if (t.isBlank() || t.startsWith(".") || t.endsWith(".")) {
        throw new IllegalArgumentException("--table takes name or schema.name, not '" + t + "'");
      }
    }
    return url ? to : Path.of(to).toAbsolutePath().normalize().toString();
  }
}
