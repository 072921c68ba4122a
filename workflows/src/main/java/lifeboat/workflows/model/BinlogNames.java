package lifeboat.workflows.model;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MariaDB/MySQL binary log file names: a base name, a dot and a zero-padded sequence number (binlog.000042). */
public final class BinlogNames {
  private static final Pattern NAME = Pattern.compile("(.+)\\.(\\d+)");

  /** By base name, then by number (not by text: 999999 comes before 1000000). */
  public static final Comparator<String> ORDER = Comparator.comparing(BinlogNames::base)
      .thenComparingLong(BinlogNames::number);

  private BinlogNames() {}

  public static String base(String name) {
    Matcher m = matcher(name);
    return m.group(1);
  }

  public static long number(String name) {
    return Long.parseLong(matcher(name).group(2));
  }

  /** The file the server writes after {@code name}. */
  public static String next(String name) {
    Matcher m = matcher(name);
    String digits = m.group(2);
    return m.group(1) + "." + String.format("%0" + digits.length() + "d", Long.parseLong(digits) + 1);
  }

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("/");
  }

  private static Matcher matcher(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a binary log file name: " + name);
    }
    return m;
  }
}
