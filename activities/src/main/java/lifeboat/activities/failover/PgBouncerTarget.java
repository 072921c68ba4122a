package lifeboat.activities.failover;

import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;

/**
 * Rewrites the entry's host and port in pgbouncer.ini (atomically, the rest of the file untouched), RELOADs
 * through the admin console, checks SHOW DATABASES, and drops the entry's clients (see
 * {@link PgBouncerAdmin#reconnectClients}) so that none stays on the old primary. A retry that finds the file already rewritten still
 * reloads and checks: the earlier attempt may have died between the write and the reload.
 */
final class PgBouncerTarget implements RepointTarget {
  private final Secrets secrets;

  PgBouncerTarget(Secrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public RepointResult repoint(RepointSpec spec, Endpoints.HostPort to) {
    if (spec.config() == null || spec.database() == null || spec.admin() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID,
          "repoint type pgbouncer needs config (the ini), database (its entry) and admin (the console URL)",
          "see docs/failover.md#repoint");
    }
    Path ini = Path.of(spec.config());
    PgBouncerAdmin admin = new PgBouncerAdmin(Endpoints.resolve(spec.admin(), secrets, "failover.repoint.admin"));
    PgBouncerIni.Rewrite rewrite = PgBouncerIni.pointAt(AtomicFiles.read(ini, "PgBouncer config"),
        spec.database(), to.host(), to.port(), spec.config());
    if (rewrite.changed()) {
      AtomicFiles.replace(ini, rewrite.content());
    }
    admin.reload();
    List<String> row = admin.databaseRow(spec.database());
    if (row == null || !row.get(1).equals(to.host()) || !row.get(2).equals("" + to.port())) {
      throw new LifeboatException(ErrorCode.FAILOVER_REPOINT_FAILED, "after RELOAD, PgBouncer's entry "
          + spec.database() + " is " + (row == null ? "missing" : row.get(1) + ":" + row.get(2)) + ", not " + to,
          "is " + spec.config() + " the file this PgBouncer reads (its -d/ini argument)? the step is retried");
    }
    admin.reconnectClients(spec.database());
    return new RepointResult(RepointSpec.PGBOUNCER, spec.config() + " [databases] " + spec.database(),
        rewrite.previous(), rewrite.current(), rewrite.changed(),
        "SHOW DATABASES: " + spec.database() + " -> " + row.get(1) + ":" + row.get(2) + " after RELOAD");
  }
}
