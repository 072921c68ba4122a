package lifeboat.activities.engine;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/** Turns pg_dump/pg_restore error output and JDBC exceptions into LifeboatExceptions with hints. */
final class PgErrors {
  static final String AUTH_HINT = "check the user name in the URL and the password secret";
  static final String UNREACHABLE_HINT =
      "check that the server is running and reachable from this worker (host, port, firewall)";
  static final String NO_DATABASE_HINT = "create the database first, or fix the database name in the URL";
  static final String URL_HINT = "use a libpq URI: postgresql://user@host:5432/dbname";
  static final String ROLE_HINT = "the target server lacks the role named above: restore with --globals to create"
      + " the backup's roles first, or with --no-owner to restore without the source's owners and grants";
  private static final Pattern MISSING_ROLE =
      Pattern.compile("(ERROR|FATAL):\\s+role \"[^\"]*\" does not exist");
  static final String VERSION_HINT =
      "install a postgresql-client at least as new as the server / the archive (Debian: apt-get install "
          + "postgresql-client-NN), or point " + PgBinaries.BINDIR_ENV + " at it";

  private PgErrors() {}

  /** The exception for a tool that exited with {@code code}; {@code fallback} when stderr says nothing known. */
  static LifeboatException fromTool(ToolProcess tool, int code, ErrorCode fallback, String fallbackHint,
                                    String password) {
    String stderr = tool.stderrTail();
    String message = Redactor.redact(tool.failureSummary(code), password);
    ErrorCode classified = classify(stderr);
    if (classified == null) {
      return new LifeboatException(fallback, message, fallbackHint);
    }
    return new LifeboatException(classified, message, hintFor(classified, stderr));
  }

  /** The code a connection-level error message maps to, or null. */
  static ErrorCode classify(String text) {
    if (text.contains("password authentication failed") || text.contains("no password supplied")
        || text.contains("authentication failed for user")) {
      return ErrorCode.AUTH_FAILED;
    }
    if (text.contains("could not translate host name") || text.contains("invalid URI")
        || text.contains("invalid connection option") || text.contains("missing \"=\"")
        || text.contains("invalid port number") || text.contains("invalid integer value")
        || (text.contains("database \"") && text.contains("\" does not exist"))) {
      return ErrorCode.BAD_URL;
    }
    if (text.contains("Connection refused") || text.contains("timeout expired")
        || text.contains("No route to host") || text.contains("Network is unreachable")
        || text.contains("could not connect to server")) {
      return ErrorCode.DATABASE_UNREACHABLE;
    }
    if (text.contains("server version mismatch") || text.contains("unsupported version")) {
      return ErrorCode.TOOL_MISSING;
    }
    Matcher role = MISSING_ROLE.matcher(text);
    if (role.find()) {
      // FATAL: the connecting user itself is unknown; ERROR: a statement (OWNER TO, GRANT) names a missing role
      return role.group(1).equals("FATAL") ? ErrorCode.AUTH_FAILED : ErrorCode.ROLE_MISSING;
    }
    if (text.contains("permission denied")) {
      return ErrorCode.PERMISSION_DENIED;
    }
    return null;
  }

  private static String hintFor(ErrorCode code, String text) {
    return switch (code) {
      case AUTH_FAILED -> AUTH_HINT;
      case BAD_URL -> text.contains("does not exist") ? NO_DATABASE_HINT : URL_HINT;
      case DATABASE_UNREACHABLE -> UNREACHABLE_HINT;
      case TOOL_MISSING -> VERSION_HINT;
      case ROLE_MISSING -> ROLE_HINT;
      case PERMISSION_DENIED ->
          "the database user needs SELECT on every table it dumps (or membership in pg_read_all_data)";
      default -> null;
    };
  }

  /** The exception for a failed JDBC connection. */
  static LifeboatException fromConnect(SQLException e, DbConnection db) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = Redactor.redact("cannot connect to " + db.display() + ": " + e.getMessage(),
        db.password());
    if (state.equals("28P01") || state.equals("28000")) {
      return new LifeboatException(ErrorCode.AUTH_FAILED, message, AUTH_HINT);
    }
    if (state.equals("3D000")) {
      return new LifeboatException(ErrorCode.BAD_URL, message, NO_DATABASE_HINT);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new LifeboatException(ErrorCode.BAD_URL,
            Redactor.redact("cannot connect to " + db.display() + ": unknown host " + t.getMessage(),
                db.password()), URL_HINT);
      }
    }
    return new LifeboatException(ErrorCode.DATABASE_UNREACHABLE, message, UNREACHABLE_HINT);
  }
}
