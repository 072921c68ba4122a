package lifeboat.activities.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in lifeboat.yaml: {@code 512MB}, {@code 1GB}, {@code 200kB}; powers of 1024. */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)");

  private Sizes() {}

  public static long parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size such as 512MB or 1GB, not '" + text + "'");
    }
    int shift = switch (m.group(2)) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      case "TB" -> 40;
      default -> 0;
    };
    return Long.parseLong(m.group(1)) << shift;
  }
}
