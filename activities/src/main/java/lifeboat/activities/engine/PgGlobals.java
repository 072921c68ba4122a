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
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Applies a {@code pg_dumpall --globals-only} script to a server with psql, one line at a time. The roles and
 * tablespaces the server already has are left as they are: their CREATE and ALTER lines are dropped, so an
 * existing role (above all the connecting superuser) keeps its password and attributes, and no "already
 * exists" error stops the script. Anything else that fails stops it (ON_ERROR_STOP).
 */
final class PgGlobals {
  static final String GLOBALS_HINT = "fix the cause on the target server (e.g. create the tablespace directory, or"
      + " connect as a superuser), or restore without --globals and with --no-owner";

  private PgGlobals() {}

  /** What was done: counts of roles and tablespaces created and found already present. */
  static final class Tally {
    int rolesCreated;
    int rolesPresent;
    int tablespacesCreated;
    int tablespacesPresent;

    @Override
    public String toString() {
      String roles = rolesCreated + " role" + (rolesCreated == 1 ? "" : "s") + " created, " + rolesPresent
          + " already present";
      return tablespacesCreated + tablespacesPresent == 0 ? roles
          : roles + "; " + tablespacesCreated + " tablespace" + (tablespacesCreated == 1 ? "" : "s")
              + " created, " + tablespacesPresent + " already present";
    }
  }

  static String apply(InputStream script, DbConnection target) {
    Set<String> roles = names(target, "SELECT rolname FROM pg_roles");
    Set<String> tablespaces = names(target, "SELECT spcname FROM pg_tablespace");
    Tally tally = new Tally();
    List<String> psql = List.of("psql", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1");
    try (ToolProcess p = PostgresEngine.start(target, psql, ProcessBuilder.Redirect.DISCARD)) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8));
           Writer out = new BufferedWriter(new OutputStreamWriter(p.stdin(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (keep(line, roles, tablespaces, tally)) {
            out.write(line);
            out.write('\n');
          }
        }
      } catch (IOException e) {
        // psql stopped reading (it failed on a statement): its exit status and stderr say why, below
        if (p.process().isAlive()) {
          throw new LifeboatException(ErrorCode.RESTORE_FAILED, "cannot read the saved globals: " + e.getMessage(),
              "the globals object could not be read from the repository; check the repository and retry", e);
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        LifeboatException e = PgErrors.fromTool(p, code, ErrorCode.GLOBALS_FAILED, GLOBALS_HINT, target.password());
        // Connection problems keep their own codes; a failed statement is the globals' own problem.
        throw e.code() == ErrorCode.PERMISSION_DENIED
            ? new LifeboatException(ErrorCode.GLOBALS_FAILED, e.getMessage(), GLOBALS_HINT) : e;
      }
    }
    return tally.toString();
  }

  /** Whether a script line goes to psql; counts the roles and tablespaces it creates or skips. */
  static boolean keep(String line, Set<String> roles, Set<String> tablespaces, Tally tally) {
    String role = nameAfter(line, "CREATE ROLE ");
    if (role != null) {
      boolean present = roles.contains(role);
      if (present) {
        tally.rolesPresent++;
      } else {
        tally.rolesCreated++;
      }
      return !present;
    }
    String altered = nameAfter(line, "ALTER ROLE ");
    if (altered != null) {
      return !roles.contains(altered); // attributes, password and settings of a role the server already has
    }
    String tablespace = nameAfter(line, "CREATE TABLESPACE ");
    if (tablespace != null) {
      boolean present = tablespaces.contains(tablespace);
      if (present) {
        tally.tablespacesPresent++;
      } else {
        tally.tablespacesCreated++;
      }
      return !present;
    }
    return true;
  }

  /** The identifier right after {@code prefix} at the start of the line, unquoted; null when the line differs. */
  static String nameAfter(String line, String prefix) {
    if (!line.startsWith(prefix)) {
      return null;
    }
    String rest = line.substring(prefix.length());
    if (rest.startsWith("\"")) {
      StringBuilder name = new StringBuilder();
      for (int i = 1; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (c == '"') {
          if (i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
            name.append('"');
            i++;
          } else {
            return name.toString();
          }
        } else {
          name.append(c);
        }
      }
      return null;
    }
    int end = 0;
    while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && rest.charAt(end) != ';') {
      end++;
    }
    return end == 0 ? null : rest.substring(0, end);
  }

  private static Set<String> names(DbConnection target, String sql) {
    Set<String> names = new HashSet<>();
    try (Connection c = PostgresEngine.connect(target); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw PgErrors.fromConnect(e, target);
    }
    return names;
  }
}
