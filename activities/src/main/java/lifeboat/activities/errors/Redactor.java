package lifeboat.activities.errors;

import java.util.regex.Pattern;

/** Strips passwords from text that came from a tool or a driver before it reaches a log or a failure. */
public final class Redactor {
  // postgresql://user:secret@host → postgresql://user:***@host
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)[^@\\s]+@");
  private static final Pattern KEYWORD_PASSWORD =
      Pattern.compile("(?i)(password\\s*[=:]\\s*)('[^']*'|\"[^\"]*\"|\\S+)");

  private Redactor() {}

  public static String redact(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, "***");
      }
    }
    out = URL_PASSWORD.matcher(out).replaceAll("$1***@");
    return KEYWORD_PASSWORD.matcher(out).replaceAll("$1***");
  }
}
