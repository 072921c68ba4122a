package lifeboat.activities.engine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Applies a {@code mariadb-dump --system=users --insert-ignore} script (one statement per line) with the mariadb
 * client. Accounts the target already has are left as they are: the script's GRANT lines carry
 * {@code IDENTIFIED BY PASSWORD}, which would otherwise reset, say, the target's root password to the source's.
 * So every line about an existing account (CREATE USER, GRANT ... TO it, its default role) is dropped.
 */
final class MariaDbUsers {
  static final String HINT = "fix the cause on the target server (connect as a user with CREATE USER and GRANT "
      + "OPTION), or restore without --globals and create the users by hand";
  private static final String ACCOUNT = "[`'](?<user>(?:[^`']|``|'')*)[`']@[`'](?<host>(?:[^`']|``|'')*)[`']";
  private static final Pattern CREATE = Pattern.compile("^CREATE USER IF NOT EXISTS " + ACCOUNT);
  private static final Pattern GRANT_TO = Pattern.compile("^GRANT .* TO " + ACCOUNT);
  private static final Pattern DEFAULT_ROLE = Pattern.compile(
      "^/\\*(?:M!100005 SET DEFAULT ROLE .* FOR|!80001 ALTER USER) " + ACCOUNT);

  private MariaDbUsers() {}

  static String apply(InputStream script, DbConnection target) {
    Set<String> existing = accounts(target);
    int[] created = {0};
    int[] present = {0};
    try (ToolProcess p = MariaDbTools.start(target, "mariadb", List.of("--batch"), false,
        ProcessBuilder.Redirect.DISCARD)) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8));
           Writer out = new BufferedWriter(new OutputStreamWriter(p.stdin(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          String created1 = account(CREATE, line);
          if (created1 != null) {
            (existing.contains(created1) ? present : created)[0]++;
          }
          if (keep(line, existing)) {
            out.write(line);
            out.write('\n');
          }
        }
      } catch (IOException e) {
        if (p.process().isAlive()) {
          throw new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot read the saved users: " + e.getMessage(),
              "the users object could not be read from the repository; check the repository and retry", e);
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        LifeboatException e = MariaDbErrors.fromTool(p, code, target, ErrorCode.GLOBALS_FAILED, HINT);
        throw e.code() == ErrorCode.PERMISSION_DENIED
            ? new LifeboatException(ErrorCode.GLOBALS_FAILED, e.getMessage(), HINT) : e;
      }
    }
    return created[0] + " user" + (created[0] == 1 ? "" : "s") + " created, " + present[0] + " already present";
  }

  /** Whether a script line goes to the client: not when it is about an account the target already has. */
  static boolean keep(String line, Set<String> existing) {
    for (Pattern p : List.of(CREATE, GRANT_TO, DEFAULT_ROLE)) {
      String account = account(p, line);
      if (account != null) {
        return !existing.contains(account);
      }
    }
    return true;
  }

  /** "user@host" of the account the line names, unquoted; null when the line is not of that kind. */
  static String account(Pattern p, String line) {
    Matcher m = p.matcher(line);
    if (!m.find()) {
      return null;
    }
    return unquote(m.group("user")) + "@" + unquote(m.group("host"));
  }

  private static String unquote(String s) {
    return s.replace("``", "`").replace("''", "'");
  }

  private static Set<String> accounts(DbConnection target) {
    Set<String> names = new HashSet<>();
    try (Connection c = MariaDbEngine.connect(target); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT User, Host FROM mysql.user")) {
      while (rs.next()) {
        names.add(rs.getString(1) + "@" + rs.getString(2));
      }
    } catch (SQLException e) {
      throw MariaDbErrors.fromConnect(e, target);
    }
    return names;
  }
}
