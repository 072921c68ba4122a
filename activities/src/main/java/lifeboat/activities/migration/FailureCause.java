package lifeboat.activities.migration;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the likely cause of a failed migration in words, from the SQLState when a driver gave one (Flyway)
 * or from the error text alone (a command's output): the three ways a migration written against a developer's
 * database most often breaks on real data. Used for Flyway's exceptions and for command output alike.
 */
final class FailureCause {
  private static final Set<String> NOT_NULL_STATES = Set.of("23502");
  private static final Set<String> MISSING_COLUMN_STATES = Set.of("42703");
  private static final Set<String> TYPE_STATES = Set.of("42804", "22P02");

  // PostgreSQL: column "country" of relation "users" contains null values
  private static final Pattern PG_NULLS = Pattern.compile("column \"([^\"]+)\" of relation \"([^\"]+)\" contains null values");
  // PostgreSQL: null value in column "country" of relation "users" violates not-null constraint
  private static final Pattern PG_NULL_VALUE =
      Pattern.compile("null value in column \"([^\"]+)\"(?: of relation \"([^\"]+)\")? violates not-null constraint");
  // SQLite: Cannot add a NOT NULL column with default value NULL
  private static final Pattern SQLITE_NOT_NULL = Pattern.compile("(?i)cannot add a not null column with default value null");
  // PostgreSQL: column "name" does not exist / column "name" of relation "users" does not exist
  private static final Pattern PG_NO_COLUMN = Pattern.compile("column \"([^\"]+)\"(?: of relation \"[^\"]+\")? does not exist");
  // SQLite: no such column: name
  private static final Pattern SQLITE_NO_COLUMN = Pattern.compile("no such column: ([\\w.\"]+)");
  private static final Pattern TYPE_TEXT = Pattern.compile("cannot be cast automatically|invalid input syntax for type");
  private static final Pattern ERROR_LINE = Pattern.compile("(?i)\\b(error|fatal|exception)\\b");

  private FailureCause() {}

  /**
   * @param sqlState the driver's SQLState, or null (a command's output)
   * @param text     the error message or the output's tail
   */
  static String explain(String sqlState, String text) {
    String t = text == null ? "" : text;
    String state = sqlState == null ? "" : sqlState;
    if (NOT_NULL_STATES.contains(state) || PG_NULLS.matcher(t).find() || PG_NULL_VALUE.matcher(t).find()
        || SQLITE_NOT_NULL.matcher(t).find()) {
      return "a NOT NULL column added without a default" + notNullColumn(t)
          + ": add a DEFAULT or backfill before setting NOT NULL";
    }
    String column = missingColumn(t);
    if (MISSING_COLUMN_STATES.contains(state) || column != null) {
      column = column != null ? column : firstErrorLine(t);
      return "a column the migration expects is missing: a renamed or dropped column (" + column + ")";
    }
    if (TYPE_STATES.contains(state) || TYPE_TEXT.matcher(t).find()) {
      return "a changed column type: existing data does not convert (" + firstErrorLine(t) + ")";
    }
    return firstErrorLine(t);
  }

  private static String notNullColumn(String text) {
    Matcher m = PG_NULLS.matcher(text);
    if (m.find()) {
      return " (column " + m.group(1) + " of " + m.group(2) + ")";
    }
    m = PG_NULL_VALUE.matcher(text);
    if (m.find()) {
      return " (column " + m.group(1) + (m.group(2) == null ? "" : " of " + m.group(2)) + ")";
    }
    return "";
  }

  private static String missingColumn(String text) {
    Matcher m = PG_NO_COLUMN.matcher(text);
    if (m.find()) {
      return m.group(1);
    }
    m = SQLITE_NO_COLUMN.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /**
   * The first line that says error (psql's "ERROR:  ...", a driver's "[SQLITE_ERROR] ..."), without psql's
   * "psql:file:3: " prefix; else the first non-blank line.
   */
  static String firstErrorLine(String text) {
    String fallback = null;
    for (String line : text.split("\\R")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (fallback == null) {
        fallback = l;
      }
      if (ERROR_LINE.matcher(l).find()) {
        return l.replaceFirst("^psql:[^:]*:\\d+: ", "").replaceAll("\\s{2,}", " ");
      }
    }
    return fallback == null ? "no error message" : fallback;
  }
}
