package lifeboat.activities.failover;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.PgBinaries;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * PgBouncer's admin console through psql. Not JDBC: the console speaks only the simple query protocol and
 * refuses the startup parameters the JDBC driver sends unless the operator listed them in
 * ignore_startup_parameters; psql works with any PgBouncer as configured. The password goes in PGPASSWORD.
 */
final class PgBouncerAdmin {
  private final DbConnection admin;

  PgBouncerAdmin(DbConnection admin) {
    this.admin = admin;
  }

  void reload() {
    run("RELOAD");
  }

  /**
   * Drops the entry's client and server connections, then lets new clients in again. Every server connection
   * it drops was to the old primary; and the pool it frees held PgBouncer's memory of failed logins to the
   * old primary, which would otherwise keep refusing new connections for up to server_login_retry (15 s by
   * default) after the entry points elsewhere. New clients that arrive between the two commands wait; so do
   * they if the worker dies between them, until the step's retry runs both again.
   */
  void reconnectClients(String entry) {
    run("KILL " + entry);
    run("RESUME " + entry);
  }

  /** SHOW DATABASES's row for {@code entry} as its columns (name, host, port, database, ...), or null. */
  List<String> databaseRow(String entry) {
    for (String line : run("SHOW DATABASES").split("\n")) {
      List<String> cols = Arrays.asList(line.split("\\|", -1));
      if (cols.size() > 3 && cols.get(0).equals(entry)) {
        return cols;
      }
    }
    return null;
  }

  private String run(String command) {
    PgUrls.PgUrl url = PgUrls.parse(admin.url());
    Endpoints.HostPort hp = Endpoints.HostPort.of(url.hosts().get(0));
    ProcessBuilder pb = new ProcessBuilder(PgBinaries.tool("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-h", hp.host(), "-p", "" + hp.port(), "-U", url.user(), "-d", url.database(),
        "-c", command).redirectErrorStream(true);
    pb.environment().remove("PGPASSWORD");
    if (admin.password() != null) {
      pb.environment().put("PGPASSWORD", admin.password());
    }
    pb.environment().put("PGCONNECT_TIMEOUT", "" + PgUrls.DEFAULT_CONNECT_TIMEOUT);
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw failed(command, "no answer in 30 s");
      }
      if (p.exitValue() != 0) {
        String text = Redactor.redact(out.trim(), admin.password());
        if (text.contains("authentication failed") || text.contains("not allowed")) {
          throw new LifeboatException(ErrorCode.AUTH_FAILED, "PgBouncer admin console " + admin.display()
              + " refused " + url.user() + ": " + text,
              "the admin user must be in PgBouncer's admin_users (and auth_file) with the runbook's password");
        }
        throw failed(command, text);
      }
      return out.trim();
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.TOOL_MISSING, "cannot run psql: " + e.getMessage(),
          PgBinaries.INSTALL_HINT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to PgBouncer", e);
    }
  }

  private LifeboatException failed(String command, String why) {
    return new LifeboatException(ErrorCode.FAILOVER_REPOINT_FAILED, "PgBouncer admin console " + admin.display()
        + ": " + command + " failed: " + why, "check that PgBouncer runs and listens where failover.repoint.admin"
        + " says; the step is retried");
  }
}
