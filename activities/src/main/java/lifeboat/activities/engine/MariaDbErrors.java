package lifeboat.activities.engine;

import java.sql.SQLException;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * MariaDB failures as Lifeboat's codes, from a driver's SQLException or a tool's stderr (both carry the server's
 * error number: 1045 access denied, 1049 unknown database, 1044/1142/1227 a missing privilege, 2002/2003 no
 * server). The password is redacted from every message.
 */
public final class MariaDbErrors {
  static final String INSTALL_HINT = "install the MariaDB client tools (Debian: apt-get install mariadb-client)";

  private static final java.util.regex.Pattern ERROR_NUMBER =
      java.util.regex.Pattern.compile("(?i)error:? (\\d{4})|\\((\\d{4})\\)");

  private MariaDbErrors() {}

  public static LifeboatException fromConnect(SQLException e, DbConnection db) {
    return classify(e.getErrorCode(), e.getMessage(), db, ErrorCode.DATABASE_UNREACHABLE,
        "check that the server runs and the worker can reach it; retried");
  }

  /** A tool that exited non-zero: its stderr's error number decides; otherwise {@code fallback}. */
  public static LifeboatException fromTool(ToolProcess p, int exit, DbConnection db, ErrorCode fallback, String hint) {
    String stderr = p.stderrTail();
    // "Got error: 1045: ..." (mariadb-dump), "ERROR 1049 (42000) ..." (mariadb), "... (1142)" (a failed query)
    java.util.regex.Matcher m = ERROR_NUMBER.matcher(stderr);
    int number = m.find() ? Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)) : 0;
    return classify(number, p.failureSummary(exit), db, fallback, hint);
  }

  private static LifeboatException classify(int number, String message, DbConnection db, ErrorCode fallback,
      String hint) {
    String text = Redactor.redact(message + " (" + db.display() + ")", db.password());
    return switch (number) {
      case 1045, 1698 -> new LifeboatException(ErrorCode.AUTH_FAILED, text,
          "check the user in the URL and the password its reference resolves to");
      case 1049 -> new LifeboatException(ErrorCode.BAD_URL, text, "create the database, or fix the URL");
      case 1044, 1142, 1143, 1227, 1370 -> new LifeboatException(ErrorCode.PERMISSION_DENIED, text,
          "grant the backup user SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES and, with binlog on, RELOAD and "
              + "BINLOG MONITOR (docs/mariadb.md)");
      case 2002, 2003, 2005, 2013 -> new LifeboatException(ErrorCode.DATABASE_UNREACHABLE, text,
          "check that the server runs and the worker can reach it; retried");
      default -> new LifeboatException(fallback, text, hint);
    };
  }
}
