package lifeboat.workflows.model;

import java.util.regex.Pattern;

/**
 * The one rule for database names, used by the CLI for its arguments and by the configuration loader for the
 * keys under {@code databases:}: a name becomes part of workflow ids and repository paths, so it keeps to a
 * safe alphabet. A name the CLI refuses must never be configurable (nothing could back it up).
 */
public final class DatabaseNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** What the rule allows, in words, for messages. */
  public static final String RULE = "letters, digits, _ . -; starting with a letter or digit";

  private DatabaseNames() {}

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The name, or IllegalArgumentException naming it and the rule. */
  public static String require(String name) {
    if (!valid(name)) {
      throw new IllegalArgumentException("not a database name: '" + name + "' (" + RULE + ")");
    }
    return name;
  }
}
